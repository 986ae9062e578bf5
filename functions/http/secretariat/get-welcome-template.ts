import { getWelcomeTemplateOf } from '../../../shared/domain/secretariat/welcome.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'sections.getWelcomeTemplate', input: 'none' },
  async (actor, { params }) => ({
    body: await getWelcomeTemplateOf(actor, String(params.sectionId)),
  }),
);
