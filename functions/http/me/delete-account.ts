import { DeleteAccountInput, deleteAccount } from '../../../shared/domain/data-rights/erasure.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'me.delete', body: DeleteAccountInput },
  async (actor, { body }) => ({
    status: 202,
    body: await deleteAccount(actor, body),
  }),
);
