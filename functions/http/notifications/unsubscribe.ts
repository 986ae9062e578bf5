import { UnsubscribeQuery, unsubscribe } from '../../../shared/domain/notifications/notifications.ts';
import { publicRoute } from '../../../shared/http/handler.ts';

export const handler = publicRoute(
  { route: 'notifications.unsubscribe', query: UnsubscribeQuery, oneClickForm: true },
  async ({ query }) => ({ body: await unsubscribe(query) }),
);
