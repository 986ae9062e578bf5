import { contactReads, PageQuery } from '../../../shared/domain/members/own-profile.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'me.contactReads', query: PageQuery },
  async (actor, { query }) => ({
    body: await contactReads(actor, query),
  }),
);
