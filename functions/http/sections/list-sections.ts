import { ListSectionsQuery, listSections } from '../../../shared/domain/sections/list-sections.ts';
import { publicRoute } from '../../../shared/http/handler.ts';

export const handler = publicRoute(
  { route: 'sections.list', query: ListSectionsQuery },
  async ({ query }) => ({
    body: await listSections(query),
  }),
);
