import { listBlocked } from '../../../shared/domain/coopains/blocks.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'blocks.list', input: 'none' }, async (actor) => ({
  body: await listBlocked(actor),
}));
