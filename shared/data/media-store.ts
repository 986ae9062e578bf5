import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { config } from '../config.ts';

/**
 * The media bucket (issue 10): private, never public, reached only through this module. Raw
 * uploads live under `uploads/` (expired by a lifecycle rule after a day in AWS), processed
 * variants under `media/`. Keys are built here and in shared/data/media.ts only.
 */

/** Lifetime of a signed image URL: short, so that a shared URL soon stops working. */
export const READ_URL_SECONDS = 600;
/** Lifetime of a presigned upload URL. */
export const UPLOAD_URL_SECONDS = 300;

let client: S3Client | undefined;

function s3(): S3Client {
  if (client) return client;
  const cfg = config();
  client = new S3Client({
    region: cfg.AWS_REGION,
    ...(cfg.S3_ENDPOINT
      ? {
          endpoint: cfg.S3_ENDPOINT,
          forcePathStyle: true,
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {}),
    // No CRC trailers on uploads: the presigned URL signs exact headers, and the emulator
    // understands plain bodies only.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return client;
}

/** Forget the client (tests that change the configuration). */
export function resetMediaStore(): void {
  client = undefined;
}

export function mediaBucket(): string {
  const bucket = config().MEDIA_BUCKET;
  if (!bucket) throw new Error('Invalid configuration: MEDIA_BUCKET is not set');
  return bucket;
}

export const uploadKey = (ownerId: string, mediaId: string) => `uploads/${ownerId}/${mediaId}`;
export const variantKey = (ownerId: string, mediaId: string, name: string) =>
  `media/${ownerId}/${mediaId}/${name}`;

/** Every object an image may have in the bucket: its raw upload and its variants. */
export const mediaObjectKeys = (ownerId: string, mediaId: string, variants: readonly { key: string }[]) => [
  uploadKey(ownerId, mediaId),
  ...variants.map((v) => v.key),
];

/**
 * A presigned PUT for one upload: the content type and the exact length are signed headers, so
 * S3 refuses any other type or size (and the emulator's guard does the same).
 */
export async function presignUpload(
  key: string,
  contentType: string,
  size: number,
): Promise<{ url: string; headers: Record<string, string> }> {
  const url = await getSignedUrl(
    s3(),
    new PutObjectCommand({ Bucket: mediaBucket(), Key: key, ContentType: contentType, ContentLength: size }),
    { expiresIn: UPLOAD_URL_SECONDS, signableHeaders: new Set(['content-type', 'content-length']) },
  );
  return { url, headers: { 'content-type': contentType } };
}

/** A signed GET of one object, valid `seconds` (at most READ_URL_SECONDS). No network call. */
export function signedReadUrl(key: string, seconds = READ_URL_SECONDS): Promise<string> {
  return getSignedUrl(s3(), new GetObjectCommand({ Bucket: mediaBucket(), Key: key }), {
    expiresIn: Math.min(seconds, READ_URL_SECONDS),
  });
}

/** Size of an object, or undefined when it is absent. */
export async function objectSize(key: string): Promise<number | undefined> {
  try {
    const out = await s3().send(new HeadObjectCommand({ Bucket: mediaBucket(), Key: key }));
    return out.ContentLength ?? 0;
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404 || (error as { name?: string }).name === 'NotFound') return undefined;
    throw error;
  }
}

export async function readObject(key: string): Promise<Buffer> {
  const out = await s3().send(new GetObjectCommand({ Bucket: mediaBucket(), Key: key }));
  if (!out.Body) return Buffer.alloc(0);
  return Buffer.from(await out.Body.transformToByteArray());
}

export async function writeObject(key: string, body: Buffer, contentType: string): Promise<void> {
  await s3().send(
    new PutObjectCommand({
      Bucket: mediaBucket(),
      Key: key,
      Body: body,
      ContentType: contentType,
      // Variants never change (a new picture is a new media id): browsers may keep them.
      CacheControl: 'private, max-age=600, immutable',
    }),
  );
}

/** Deletes objects (absent ones are fine), 1,000 per call. */
export async function deleteObjects(keys: readonly string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 1000) {
    const chunk = keys.slice(i, i + 1000);
    if (chunk.length === 0) continue;
    await s3().send(
      new DeleteObjectsCommand({
        Bucket: mediaBucket(),
        Delete: { Objects: chunk.map((Key) => ({ Key })), Quiet: true },
      }),
    );
  }
}
