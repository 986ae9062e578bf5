import { memberHistory } from '../../../shared/domain/moderation/decisions.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'moderation.history', input: 'none' },
  async (actor, { params }) => ({
    body: await memberHistory(actor, String(params.id)),
  }),
);
