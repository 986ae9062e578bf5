import { FeedQuery, partyFeed } from '../../../shared/domain/posts/feeds.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'feed.party', query: FeedQuery }, async (actor, { query }) => ({
  body: await partyFeed(actor, query),
}));
