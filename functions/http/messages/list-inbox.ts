import { PageQuery } from '../../../shared/domain/members/own-profile.ts';
import { listInbox } from '../../../shared/domain/messages/messages.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'messages.inbox', query: PageQuery },
  async (actor, { query }) => ({
    body: await listInbox(actor, query.cursor),
  }),
);
