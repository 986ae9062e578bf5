import { listNotifications, NotificationsQuery } from '../../../shared/domain/notifications/notifications.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'notifications.list', query: NotificationsQuery },
  async (actor, { query }) => ({ body: await listNotifications(actor, query) }),
);
