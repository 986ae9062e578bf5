import { remove } from '../../../shared/domain/coopains/coopains.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'coopains.remove', input: 'none' }, async (actor, { params }) => {
  await remove(actor, String(params.id));
  return { status: 204 };
});
