import { removeGroupMember } from '../../../shared/domain/groups/groups.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'groups.removeMember', input: 'none' },
  async (actor, { params }) => {
    await removeGroupMember(actor, String(params.groupId), String(params.memberId));
    return { status: 204 };
  },
);
