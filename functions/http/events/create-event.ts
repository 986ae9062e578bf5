import { createEvent, EventInput } from '../../../shared/domain/events/events.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'events.create', body: EventInput }, async (actor, { body }) => ({
  status: 201,
  body: await createEvent(actor, body),
}));
