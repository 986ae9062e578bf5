import { calendarStatus } from '../../../shared/domain/events/calendar.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'calendar.status', input: 'none' }, async (actor) => ({
  body: await calendarStatus(actor),
}));
