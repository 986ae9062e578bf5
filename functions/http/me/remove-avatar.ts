import { removeAvatar } from '../../../shared/domain/media/media.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'me.removeAvatar', input: 'none' }, async (actor) => {
  await removeAvatar(actor);
  return { status: 204 };
});
