import { AppealInput, appeal } from '../../../shared/domain/moderation/appeals.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'me.appeal', body: AppealInput }, async (actor, { body }) => ({
  status: 201,
  body: await appeal(actor, body),
}));
