import { block } from '../../../shared/domain/coopains/blocks.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'blocks.block', input: 'none' }, async (actor, { params }) => {
  await block(actor, String(params.id));
  return { status: 204 };
});
