import { SetAvatarInput, setAvatar } from '../../../shared/domain/media/media.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'me.setAvatar', body: SetAvatarInput },
  async (actor, { body }) => ({
    body: { avatar: await setAvatar(actor, body.mediaId) },
  }),
);
