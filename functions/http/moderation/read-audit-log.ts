import { AuditQuery, readAuditLog } from '../../../shared/domain/moderation/audit-log.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'moderation.audit', query: AuditQuery },
  async (actor, { query }) => ({
    body: await readAuditLog(actor, query),
  }),
);
