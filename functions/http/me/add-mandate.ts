import { AddMandateInput, addMandate } from '../../../shared/domain/members/own-profile.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'me.addMandate', body: AddMandateInput },
  async (actor, { body }) => ({
    status: 201,
    body: { mandate: await addMandate(actor, body) },
  }),
);
