import { listComments, PostQuery } from '../../../shared/domain/posts/posts.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'comments.list', query: PostQuery },
  async (actor, { params, query }) => ({ body: await listComments(actor, String(params.postId), query) }),
);
