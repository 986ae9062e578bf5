import { AcceptCommitmentInput, acceptCommitment } from '../../../shared/domain/members/own-profile.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'me.acceptCommitment', body: AcceptCommitmentInput },
  async (actor) => ({
    body: await acceptCommitment(actor),
  }),
);
