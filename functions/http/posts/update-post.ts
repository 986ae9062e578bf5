import { EditPostInput, editPost } from '../../../shared/domain/posts/posts.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'posts.update', body: EditPostInput },
  async (actor, { params, body }) => ({ body: await editPost(actor, String(params.postId), body) }),
);
