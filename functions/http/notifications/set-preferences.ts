import { PreferencesInput, setEmailPreferences } from '../../../shared/domain/notifications/notifications.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'notifications.setPreferences', body: PreferencesInput },
  async (actor, { body }) => ({ body: await setEmailPreferences(actor, body) }),
);
