import { createMission, MissionInput } from '../../../shared/domain/missions/missions.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'missions.create', body: MissionInput },
  async (actor, { body }) => ({
    status: 201,
    body: await createMission(actor, body),
  }),
);
