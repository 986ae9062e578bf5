import { markNotificationRead } from '../../../shared/domain/notifications/notifications.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'notifications.markRead', input: 'none' },
  async (actor, { params }) => {
    await markNotificationRead(actor, String(params.id));
    return { status: 204 };
  },
);
