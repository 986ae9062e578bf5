import { GroupMembersQuery, listGroupMembers } from '../../../shared/domain/groups/groups.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'groups.members', query: GroupMembersQuery },
  async (actor, { params, query }) => ({
    body: await listGroupMembers(actor, String(params.groupId), query),
  }),
);
