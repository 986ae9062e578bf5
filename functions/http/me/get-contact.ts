import { getOwnContact } from '../../../shared/domain/members/own-profile.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'me.getContact', input: 'none' }, async (actor) => ({
  body: { contact: await getOwnContact(actor) },
}));
