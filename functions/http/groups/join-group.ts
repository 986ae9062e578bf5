import { joinGroup } from '../../../shared/domain/groups/groups.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'groups.join', input: 'none' }, async (actor, { params }) => ({
  body: await joinGroup(actor, String(params.groupId)),
}));
