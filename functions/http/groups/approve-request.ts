import { approveRequest } from '../../../shared/domain/groups/groups.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'groups.approve', input: 'none' }, async (actor, { params }) => {
  await approveRequest(actor, String(params.groupId), String(params.memberId));
  return { status: 204 };
});
