import { createReport, ReportInput } from '../../../shared/domain/moderation/reports.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'reports.create', body: ReportInput },
  async (actor, { body }) => ({
    status: 201,
    body: await createReport(actor, body),
  }),
);
