import { ChangeSectionInput, changeOwnSection } from '../../../shared/domain/members/own-profile.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'me.changeSection', body: ChangeSectionInput },
  async (actor, { body }) => ({
    body: { member: await changeOwnSection(actor, body) },
  }),
);
