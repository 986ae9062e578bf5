import { AgendaQuery, partyAgenda } from '../../../shared/domain/events/agenda.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'agenda.party', query: AgendaQuery },
  async (actor, { query }) => ({
    body: await partyAgenda(actor, query),
  }),
);
