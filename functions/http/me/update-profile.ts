import { UpdateProfileInput, updateOwnProfile } from '../../../shared/domain/members/own-profile.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'me.update', body: UpdateProfileInput },
  async (actor, { body }) => ({
    body: { member: await updateOwnProfile(actor, body) },
  }),
);
