import { getGroup } from '../../../shared/domain/groups/groups.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'groups.get', input: 'none' }, async (actor, { params }) => ({
  body: await getGroup(actor, String(params.groupId)),
}));
