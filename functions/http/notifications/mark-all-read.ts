import { markAllNotificationsRead } from '../../../shared/domain/notifications/notifications.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'notifications.markAllRead', input: 'none' }, async (actor) => {
  await markAllNotificationsRead(actor);
  return { status: 204 };
});
