import { exportRoster } from '../../../shared/domain/secretariat/roster-export.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'sections.exportRoster', input: 'none' },
  async (actor, { params }) => {
    const file = await exportRoster(actor, String(params.sectionId));
    return { text: { contentType: 'text/csv; charset=utf-8', body: file.csv, filename: file.filename } };
  },
);
