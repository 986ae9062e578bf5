import { SectionPageQuery, sectionPage } from '../../../shared/domain/posts/feeds.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'sections.posts', query: SectionPageQuery },
  async (actor, { params, query }) => ({ body: await sectionPage(actor, String(params.sectionId), query) }),
);
