import { accept } from '../../../shared/domain/coopains/coopains.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'coopains.accept', input: 'none' }, async (actor, { params }) => {
  await accept(actor, String(params.id));
  return { status: 204 };
});
