import { markRead } from '../../../shared/domain/messages/messages.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'messages.markRead', input: 'none' },
  async (actor, { params }) => {
    await markRead(actor, String(params.id));
    return { status: 204 };
  },
);
