import { getPost } from '../../../shared/domain/posts/posts.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'posts.get', input: 'none' }, async (actor, { params }) => ({
  body: await getPost(actor, String(params.postId)),
}));
