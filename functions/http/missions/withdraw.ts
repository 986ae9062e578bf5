import { withdraw } from '../../../shared/domain/missions/missions.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'missions.withdraw', input: 'none' },
  async (actor, { params }) => {
    await withdraw(actor, String(params.missionId), String(params.slotId));
    return { status: 204 };
  },
);
