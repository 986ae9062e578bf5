import { CreateUploadInput, createUpload } from '../../../shared/domain/media/media.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'media.createUpload', body: CreateUploadInput },
  async (actor, { body }) => ({ status: 201, body: await createUpload(actor, body) }),
);
