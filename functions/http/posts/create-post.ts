import { createPost, NewPostInput } from '../../../shared/domain/posts/posts.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'posts.create', body: NewPostInput },
  async (actor, { body }) => ({ status: 201, body: await createPost(actor, body) }),
);
