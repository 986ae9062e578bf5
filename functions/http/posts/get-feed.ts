import { FeedQuery, homeFeed } from '../../../shared/domain/posts/feeds.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'feed.home', query: FeedQuery }, async (actor, { query }) => ({
  body: await homeFeed(actor, query),
}));
