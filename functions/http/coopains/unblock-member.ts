import { unblock } from '../../../shared/domain/coopains/blocks.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'blocks.unblock', input: 'none' }, async (actor, { params }) => {
  await unblock(actor, String(params.id));
  return { status: 204 };
});
