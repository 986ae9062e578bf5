import { EditEventInput, editEvent } from '../../../shared/domain/events/events.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'events.update', body: EditEventInput },
  async (actor, { params, body }) => {
    await editEvent(actor, String(params.eventId), body);
    return { status: 204 };
  },
);
