import { DecisionInput, decide } from '../../../shared/domain/moderation/decisions.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'moderation.decide', body: DecisionInput },
  async (actor, { params, body }) => ({ body: await decide(actor, String(params.target), body) }),
);
