import { CommentQuery, deleteComment } from '../../../shared/domain/posts/comments.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'comments.delete', query: CommentQuery },
  async (actor, { params, query }) => {
    await deleteComment(actor, String(params.postId), String(params.commentId), query);
    return { status: 204 };
  },
);
