import { SendMessageInput, sendMessage } from '../../../shared/domain/messages/messages.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'messages.send', body: SendMessageInput },
  async (actor, { params, body }) => ({
    status: 201,
    body: await sendMessage(actor, String(params.id), body),
  }),
);
