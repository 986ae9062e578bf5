import { LiftInput, liftSuspension } from '../../../shared/domain/moderation/decisions.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'moderation.lift', body: LiftInput },
  async (actor, { params, body }) => ({
    body: await liftSuspension(actor, String(params.id), body),
  }),
);
