import { confirmMembership } from '../../../shared/domain/secretariat/roster.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'sections.confirmMembership', input: 'none' },
  async (actor, { params }) => ({
    body: { member: await confirmMembership(actor, String(params.sectionId), String(params.memberId)) },
  }),
);
