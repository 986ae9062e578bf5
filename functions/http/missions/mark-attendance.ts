import { AttendanceInput, markAttendance } from '../../../shared/domain/missions/missions.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'missions.attendance', body: AttendanceInput },
  async (actor, { params, body }) => {
    await markAttendance(
      actor,
      String(params.missionId),
      String(params.slotId),
      String(params.memberId),
      body,
    );
    return { status: 204 };
  },
);
