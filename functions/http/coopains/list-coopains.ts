import { listCoopains } from '../../../shared/domain/coopains/coopains.ts';
import { PageQuery } from '../../../shared/domain/members/own-profile.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'coopains.list', query: PageQuery },
  async (actor, { query }) => ({
    body: await listCoopains(actor, query.cursor),
  }),
);
