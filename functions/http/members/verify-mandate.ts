import { verifyMandate } from '../../../shared/domain/secretariat/roster.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'members.verifyMandate', input: 'none' },
  async (actor, { params }) => ({
    body: { mandate: await verifyMandate(actor, String(params.id), String(params.mandateId)) },
  }),
);
