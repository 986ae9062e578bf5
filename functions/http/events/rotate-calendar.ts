import { rotateCalendar } from '../../../shared/domain/events/calendar.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'calendar.rotate', input: 'none' }, async (actor) => ({
  status: 201,
  body: await rotateCalendar(actor),
}));
