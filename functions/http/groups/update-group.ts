import { GroupInput, updateGroup } from '../../../shared/domain/groups/groups.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'groups.update', body: GroupInput },
  async (actor, { params, body }) => ({ body: await updateGroup(actor, String(params.groupId), body) }),
);
