import { listInvitations } from '../../../shared/domain/coopains/coopains.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'coopains.invitations', input: 'none' }, async (actor) => ({
  body: await listInvitations(actor),
}));
