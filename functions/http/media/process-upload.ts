import { processUpload } from '../../../shared/domain/media/media.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute({ route: 'media.process', input: 'none' }, async (actor, { params }) => ({
  body: { media: await processUpload(actor, String(params.mediaId)) },
}));
