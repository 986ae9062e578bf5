import { invite } from '../../../shared/domain/coopains/coopains.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'coopains.invite', input: 'none' }, async (actor, { params }) => {
  await invite(actor, String(params.id));
  return { status: 201, body: { status: 'invited' } };
});
