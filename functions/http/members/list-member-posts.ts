import { FeedQuery, memberPosts } from '../../../shared/domain/posts/feeds.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'members.posts', query: FeedQuery },
  async (actor, { params, query }) => ({ body: await memberPosts(actor, String(params.id), query) }),
);
