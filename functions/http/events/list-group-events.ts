import { AgendaQuery, groupAgenda } from '../../../shared/domain/events/agenda.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'groups.events', query: AgendaQuery },
  async (actor, { params, query }) => ({ body: await groupAgenda(actor, String(params.groupId), query) }),
);
