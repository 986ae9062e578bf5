import { SectionMessageInput, sendSectionMessage } from '../../../shared/domain/messages/section-messages.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'sections.sendMessage', body: SectionMessageInput },
  async (actor, { params, body }) => ({
    status: 202,
    body: await sendSectionMessage(actor, String(params.sectionId), body),
  }),
);
