import { addComment, NewCommentInput } from '../../../shared/domain/posts/comments.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'comments.create', body: NewCommentInput },
  async (actor, { params, body }) => ({
    status: 201,
    body: await addComment(actor, String(params.postId), body),
  }),
);
