import { RosterQuery, roster } from '../../../shared/domain/secretariat/roster.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'sections.roster', query: RosterQuery },
  async (actor, { params, query }) => ({
    body: await roster(actor, String(params.sectionId), query),
  }),
);
