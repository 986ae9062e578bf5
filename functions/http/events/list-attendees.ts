import { AttendeesQuery, listAttendees } from '../../../shared/domain/events/events.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'events.attendees', query: AttendeesQuery },
  async (actor, { params, query }) => ({ body: await listAttendees(actor, String(params.eventId), query) }),
);
