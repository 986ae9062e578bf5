import { avatarView } from '../../../shared/domain/media/media.ts';
import { getOwnProfile } from '../../../shared/domain/members/own-profile.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'me.get', input: 'none' }, async (actor) => ({
  // My own picture: I may always see it (photos, issue 10).
  body: { member: { ...(await getOwnProfile(actor)), avatar: await avatarView(actor.memberId) } },
}));
