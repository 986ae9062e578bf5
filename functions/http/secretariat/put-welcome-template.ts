import { saveWelcomeTemplate, WelcomeTemplateInput } from '../../../shared/domain/secretariat/welcome.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'sections.putWelcomeTemplate', body: WelcomeTemplateInput },
  async (actor, { params, body }) => ({
    body: await saveWelcomeTemplate(actor, String(params.sectionId), body),
  }),
);
