import { getEmailPreferences } from '../../../shared/domain/notifications/notifications.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'notifications.getPreferences', input: 'none' },
  async (actor) => ({
    body: await getEmailPreferences(actor),
  }),
);
