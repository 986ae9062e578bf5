import { getMemberContact } from '../../../shared/domain/members/public-profile.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'members.getContact', input: 'none' },
  async (actor, { params }) => ({
    body: { contact: await getMemberContact(actor, String(params.id)) },
  }),
);
