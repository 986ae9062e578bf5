import { PageQuery } from '../../../shared/domain/members/own-profile.ts';
import { listMessages } from '../../../shared/domain/messages/messages.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'messages.list', query: PageQuery },
  async (actor, { params, query }) => ({
    body: await listMessages(actor, String(params.id), query.cursor),
  }),
);
