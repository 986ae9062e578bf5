import { revokeCalendar } from '../../../shared/domain/events/calendar.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'calendar.revoke', input: 'none' }, async (actor) => {
  await revokeCalendar(actor);
  return { status: 204 };
});
