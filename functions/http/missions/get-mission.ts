import { getMissionDetail } from '../../../shared/domain/missions/missions.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'missions.get', input: 'none' }, async (actor, { params }) => ({
  body: await getMissionDetail(actor, String(params.missionId)),
}));
