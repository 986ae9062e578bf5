import { deleteMandate } from '../../../shared/domain/members/own-profile.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'me.deleteMandate', input: 'none' },
  async (actor, { params }) => {
    await deleteMandate(actor, String(params.mandateId));
    return { status: 204 };
  },
);
