import { mySignUps, SignUpsQuery } from '../../../shared/domain/missions/missions.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'missions.mySignUps', query: SignUpsQuery },
  async (actor, { query }) => ({ body: await mySignUps(actor, query) }),
);
