import { QueueQuery, reportQueue } from '../../../shared/domain/moderation/decisions.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'moderation.queue', query: QueueQuery },
  async (actor, { query }) => ({
    body: await reportQueue(actor, query),
  }),
);
