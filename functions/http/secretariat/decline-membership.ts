import { declineMembership } from '../../../shared/domain/secretariat/roster.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'sections.declineMembership', input: 'none' },
  async (actor, { params }) => ({
    body: { member: await declineMembership(actor, String(params.sectionId), String(params.memberId)) },
  }),
);
