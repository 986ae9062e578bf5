import { cancelEvent } from '../../../shared/domain/events/events.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'events.cancel', input: 'none' }, async (actor, { params }) => {
  await cancelEvent(actor, String(params.eventId));
  return { status: 204 };
});
