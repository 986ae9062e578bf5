import { api, newMember } from './api.ts';
import { gpsJpeg, readyImage, uploadAs } from './media.ts';

type Request = { path: string; method: string; body?: unknown; token?: string };

/** The photos routes' fixtures (issue 10), spread into test/support/route-fixtures.ts. */
export const mediaFixtures = {
  'media.createUpload': async (): Promise<Request> => {
    const { token } = await newMember();
    return {
      method: 'POST',
      path: '/api/media/uploads',
      token,
      body: { purpose: 'post', contentType: 'image/jpeg', size: 48_000 },
    };
  },
  'media.process': async (): Promise<Request> => {
    const { token } = await newMember();
    const { mediaId, putStatus } = await uploadAs(token, await gpsJpeg(400, 300), { purpose: 'post' });
    if (putStatus !== 200) throw new Error(`upload PUT: ${putStatus}`);
    return { method: 'POST', path: `/api/media/${mediaId}/process`, token };
  },
  'me.setAvatar': async (): Promise<Request> => {
    const { token } = await newMember();
    const mediaId = await readyImage(token, 'avatar', await gpsJpeg(300, 300));
    return { method: 'PUT', path: '/api/me/avatar', token, body: { mediaId } };
  },
  'me.removeAvatar': async (): Promise<Request> => {
    const { token } = await newMember();
    const mediaId = await readyImage(token, 'avatar', await gpsJpeg(300, 300));
    const set = await api('/api/me/avatar', { method: 'PUT', token, body: { mediaId } });
    if (set.status !== 200) throw new Error(`setAvatar: ${set.status} ${JSON.stringify(set.body)}`);
    return { method: 'DELETE', path: '/api/me/avatar', token };
  },
};
