import { SetRolesInput, setRoles } from '../../../shared/domain/members/roles.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'admin.setRoles', body: SetRolesInput },
  async (actor, { params, body }) => ({
    body: { roles: await setRoles(actor, String(params.id), body) },
  }),
);
