import { cancel } from '../../../shared/domain/coopains/coopains.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'coopains.cancel', input: 'none' }, async (actor, { params }) => {
  await cancel(actor, String(params.id));
  return { status: 204 };
});
