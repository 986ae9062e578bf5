import { listNewcomers, NewcomersQuery } from '../../../shared/domain/secretariat/newcomers.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'newcomers.list', query: NewcomersQuery },
  async (actor, { query }) => ({
    body: await listNewcomers(actor, query),
  }),
);
