import {
  listSectionMessages,
  SectionMessagesQuery,
} from '../../../shared/domain/messages/section-messages.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'sections.listMessages', query: SectionMessagesQuery },
  async (actor, { params, query }) => ({
    body: await listSectionMessages(actor, String(params.sectionId), query),
  }),
);
