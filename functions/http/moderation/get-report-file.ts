import { reportFile } from '../../../shared/domain/moderation/decisions.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'moderation.file', input: 'none' },
  async (actor, { params }) => ({
    body: await reportFile(actor, String(params.target)),
  }),
);
