import { listMissions, MissionsQuery } from '../../../shared/domain/missions/missions.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'missions.list', query: MissionsQuery },
  async (actor, { query }) => ({ body: await listMissions(actor, query) }),
);
