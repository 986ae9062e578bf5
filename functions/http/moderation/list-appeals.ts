import { AppealsQuery, appealQueue } from '../../../shared/domain/moderation/appeals.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'moderation.appeals', query: AppealsQuery },
  async (actor, { query }) => ({
    body: await appealQueue(actor, query),
  }),
);
