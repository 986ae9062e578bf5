import { exportMyData } from '../../../shared/domain/data-rights/export.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'me.export', input: 'none' }, async (actor, { now }) => ({
  body: await exportMyData(actor, now),
}));
