import { AgendaQuery, myAgenda } from '../../../shared/domain/events/agenda.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'agenda.mine', query: AgendaQuery },
  async (actor, { query }) => ({
    body: await myAgenda(actor, query),
  }),
);
