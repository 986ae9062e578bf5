import { PinInput, pinPost } from '../../../shared/domain/posts/posts.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'posts.pin', body: PinInput },
  async (actor, { params, body }) => ({ body: await pinPost(actor, String(params.postId), body) }),
);
