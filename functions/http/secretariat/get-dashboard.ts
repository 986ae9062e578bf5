import { dashboard } from '../../../shared/domain/secretariat/dashboard.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'sections.dashboard', input: 'none' },
  async (actor, { params }) => ({
    body: await dashboard(actor, String(params.sectionId)),
  }),
);
