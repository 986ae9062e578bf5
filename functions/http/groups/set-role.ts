import { RoleInput, setGroupRole } from '../../../shared/domain/groups/groups.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'groups.setRole', body: RoleInput },
  async (actor, { params, body }) => {
    await setGroupRole(actor, String(params.groupId), String(params.memberId), body);
    return { status: 204 };
  },
);
