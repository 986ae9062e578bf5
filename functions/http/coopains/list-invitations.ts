import { listInvitations } from '../../../shared/domain/coopains/coopains.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'coopains.invitations' }, async (actor) => ({
  body: await listInvitations(actor),
}));
