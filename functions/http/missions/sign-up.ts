import { signUp } from '../../../shared/domain/missions/missions.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'missions.signUp', input: 'none' },
  async (actor, { params }) => ({
    status: 201,
    body: await signUp(actor, String(params.missionId), String(params.slotId)),
  }),
);
