import { leaveGroup } from '../../../shared/domain/groups/groups.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'groups.leave', input: 'none' }, async (actor, { params }) => {
  await leaveGroup(actor, String(params.groupId));
  return { status: 204 };
});
