import { getOwnProfile } from '../../../shared/domain/members/own-profile.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'me.get' }, async (actor) => ({
  body: { member: await getOwnProfile(actor) },
}));
