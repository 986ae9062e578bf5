import { answerEvent, RsvpInput } from '../../../shared/domain/events/rsvp.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'events.rsvp', body: RsvpInput },
  async (actor, { params, body }) => ({
    body: await answerEvent(actor, String(params.eventId), body),
  }),
);
