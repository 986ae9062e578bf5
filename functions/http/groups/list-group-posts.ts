import { FeedQuery, groupPosts } from '../../../shared/domain/posts/feeds.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'groups.posts', query: FeedQuery },
  async (actor, { params, query }) => ({ body: await groupPosts(actor, String(params.groupId), query) }),
);
