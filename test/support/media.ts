import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { inject } from 'vitest';
import { api } from './api.ts';

/** Photos (issue 10): images made in the test, the upload flow through the API, the bucket seen directly. */

/** A JPEG carrying GPS coordinates (48°51′24″N 2°21′E) and a camera make in its EXIF. */
export async function gpsJpeg(width = 900, height = 600): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#2a7f62' } })
    .withExif({
      IFD0: { Make: 'SondeGPS', Model: 'Fuite 3000' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '48/1 51/1 2400/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '2/1 21/1 0/1',
      },
    })
    .jpeg()
    .toBuffer();
}

/** True when an EXIF block holds a GPS IFD (tag 0x8825, in either byte order). */
export function hasGpsIfd(exif: Buffer | undefined): boolean {
  if (!exif) return false;
  return exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88]));
}

export interface Ticket {
  mediaId: string;
  upload: { method: 'PUT'; url: string; headers: Record<string, string> };
}

/** Asks for an upload URL and PUTs the bytes to the bucket as the browser does; returns the media id. */
export async function uploadAs(
  token: string,
  body: Buffer,
  opts: { purpose?: 'avatar' | 'post'; contentType?: string; size?: number } = {},
): Promise<{ mediaId: string; putStatus: number; ticket: Ticket }> {
  const res = await api<Ticket>('/api/media/uploads', {
    token,
    body: {
      purpose: opts.purpose ?? 'post',
      contentType: opts.contentType ?? 'image/jpeg',
      size: opts.size ?? body.length,
    },
  });
  if (res.status !== 201) throw new Error(`createUpload: ${res.status} ${JSON.stringify(res.body)}`);
  const put = await fetch(res.body.upload.url, {
    method: 'PUT',
    headers: res.body.upload.headers,
    body: new Uint8Array(body),
  });
  return { mediaId: res.body.mediaId, putStatus: put.status, ticket: res.body };
}

export function processAs(token: string, mediaId: string) {
  return api<{ media?: { id: string; state: string }; error?: { code: string; message: string } }>(
    `/api/media/${mediaId}/process`,
    { token, method: 'POST' },
  );
}

/** Uploads and processes an image; throws unless it becomes ready. */
export async function readyImage(token: string, purpose: 'avatar' | 'post', body?: Buffer): Promise<string> {
  const { mediaId, putStatus } = await uploadAs(token, body ?? (await gpsJpeg()), { purpose });
  if (putStatus !== 200) throw new Error(`upload PUT: ${putStatus}`);
  const done = await processAs(token, mediaId);
  if (done.status !== 200) throw new Error(`process: ${done.status} ${JSON.stringify(done.body)}`);
  return mediaId;
}

let client: S3Client | undefined;
/** The test's own client to the emulator (signed with the local key, like the functions). */
export function bucketClient(): S3Client {
  client ??= new S3Client({
    region: 'eu-west-3',
    endpoint: inject('s3Url'),
    forcePathStyle: true,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return client;
}

/** Every key in the media bucket under `prefix`. */
export async function bucketKeys(prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const out = await bucketClient().send(
      new ListObjectsV2Command({ Bucket: inject('mediaBucket'), Prefix: prefix, ContinuationToken: token }),
    );
    keys.push(...(out.Contents ?? []).map((c) => String(c.Key)));
    token = out.IsTruncated ? out.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/** Every key of one member's objects (raw uploads and variants). */
export async function memberObjectKeys(memberId: string): Promise<string[]> {
  return [...(await bucketKeys(`uploads/${memberId}/`)), ...(await bucketKeys(`media/${memberId}/`))];
}

/** Fetches a signed URL as a browser would (no credentials of its own). */
export async function fetchImage(url: string): Promise<{ status: number; body: Buffer }> {
  const res = await fetch(url);
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

export interface ImageView {
  webp: { url: string; width: number; height: number }[];
  jpeg: { url: string; width: number; height: number }[];
  width: number;
  height: number;
}

/** Every signed URL of an image view. */
export function urlsOf(view: ImageView | null | undefined): string[] {
  return view ? [...view.webp, ...view.jpeg].map((s) => s.url) : [];
}
