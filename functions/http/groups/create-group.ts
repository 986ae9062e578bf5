import { createGroup, GroupInput } from '../../../shared/domain/groups/groups.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'groups.create', body: GroupInput }, async (actor, { body }) => ({
  status: 201,
  body: await createGroup(actor, body),
}));
