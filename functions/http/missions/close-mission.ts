import { CloseInput, closeMission } from '../../../shared/domain/missions/missions.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'missions.close', body: CloseInput },
  async (actor, { params, body }) => ({ body: await closeMission(actor, String(params.missionId), body) }),
);
