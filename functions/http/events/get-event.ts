import { getEventPage } from '../../../shared/domain/events/events.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'events.get', input: 'none' }, async (actor, { params }) => ({
  body: await getEventPage(actor, String(params.eventId)),
}));
