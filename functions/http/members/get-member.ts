import { getPublicProfile } from '../../../shared/domain/members/public-profile.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'members.get', input: 'none' }, async (actor, { params }) => ({
  body: { member: await getPublicProfile(actor, String(params.id)) },
}));
