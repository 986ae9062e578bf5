import { CommentQuery, EditCommentInput, editComment } from '../../../shared/domain/posts/comments.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'comments.update', query: CommentQuery, body: EditCommentInput },
  async (actor, { params, query, body }) => ({
    body: await editComment(actor, String(params.postId), String(params.commentId), query, body),
  }),
);
