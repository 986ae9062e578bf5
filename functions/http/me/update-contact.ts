import { UpdateContactInput, updateOwnContact } from '../../../shared/domain/members/own-profile.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'me.updateContact', body: UpdateContactInput },
  async (actor, { body }) => ({
    body: { contact: await updateOwnContact(actor, body) },
  }),
);
