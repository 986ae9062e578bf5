import { deletePost } from '../../../shared/domain/posts/posts.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'posts.delete', input: 'none' }, async (actor, { params }) => {
  await deletePost(actor, String(params.postId));
  return { status: 204 };
});
