import { refuse } from '../../../shared/domain/coopains/coopains.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'coopains.refuse', input: 'none' }, async (actor, { params }) => {
  await refuse(actor, String(params.id));
  return { status: 204 };
});
