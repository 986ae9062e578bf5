import { myModeration } from '../../../shared/domain/moderation/appeals.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'me.moderation', input: 'none' }, async (actor) => ({
  body: await myModeration(actor),
}));
