import { calendarFeed } from '../../../shared/domain/events/calendar.ts';
import { publicRoute } from '../../../shared/http/handler.ts';

/** The iCalendar feed: a public route (calendar apps send no token), the URL's secret is the credential. */
export const handler = publicRoute({ route: 'calendar.feed', input: 'none' }, async ({ params }) => ({
  text: {
    contentType: 'text/calendar; charset=utf-8',
    body: await calendarFeed(String(params.memberId), String(params.token)),
  },
}));
