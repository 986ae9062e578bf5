import { DirectoryQuery, searchDirectory } from '../../../shared/domain/members/directory.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'directory.search', query: DirectoryQuery },
  async (actor, { query }) => ({
    body: await searchDirectory(actor, query),
  }),
);
