import { AgendaQuery, sectionAgenda } from '../../../shared/domain/events/agenda.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'sections.events', query: AgendaQuery },
  async (actor, { params, query }) => ({ body: await sectionAgenda(actor, String(params.sectionId), query) }),
);
