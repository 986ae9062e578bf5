import { GroupsQuery, listGroups } from '../../../shared/domain/groups/groups.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'groups.list', query: GroupsQuery },
  async (actor, { query }) => ({ body: await listGroups(actor, query) }),
);
