import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, getAll, type TxWrite, tableName } from './client.ts';

/**
 * MD1 — one item per image in its OWNER's partition (`MEMBER#<owner>` / `MEDIA#<id>`), so the D1
 * walk (member-data.ts `partition`) finds every image of a member without a Scan; MD2 — the
 * member's current profile picture (`MEMBER#<id>` / `AVATAR`), a copy of the ready media's
 * variants read with the profile; MD3 — ready images attached to nothing yet (sparse gsi3
 * `MEDIA#LOOSE`, by the time they became ready), which the `media.sweep` job deletes after a day.
 * docs/data-model.md.
 */
export const MEDIA_PURPOSES = ['avatar', 'post'] as const;
export type MediaPurpose = (typeof MEDIA_PURPOSES)[number];
/** `uploaded`: a presigned upload was handed out; `ready`: processed, variants written, raw deleted. */
export type MediaState = 'uploaded' | 'ready';

export interface Variant {
  key: string;
  width: number;
  height: number;
  format: 'webp' | 'jpeg';
}

export interface Media {
  id: string;
  ownerId: string;
  purpose: MediaPurpose;
  state: MediaState;
  contentType: string;
  /** The size the browser declared (signed into the upload URL). */
  size: number;
  uploadKey: string;
  variants: Variant[];
  /** `avatar`, `post:<postId>`, or null while unattached. */
  attachedTo: string | null;
  createdAt: string;
}

/** A media item still `uploaded` a day later was abandoned: TTL removes it (S3 lifecycle the raw upload). */
const UPLOAD_TTL_SECONDS = 24 * 3600 + 3600;

const mediaKey = (ownerId: string, id: string) => ({ pk: `MEMBER#${ownerId}`, sk: `MEDIA#${id}` });
/** MD1's key, for a caller that reads media in its own BatchGet (a post's images: posts.ts). */
export const mediaItemKey = mediaKey;
const avatarKey = (memberId: string) => ({ pk: `MEMBER#${memberId}`, sk: 'AVATAR' });

/** Variants read back from an item (a media, an avatar, a post's images). */
export function variantsOf(value: unknown): Variant[] {
  return Array.isArray(value)
    ? value.map((v: Record<string, unknown>) => ({
        key: String(v.key),
        width: Number(v.width),
        height: Number(v.height),
        format: v.format === 'jpeg' ? 'jpeg' : 'webp',
      }))
    : [];
}

function fromItem(item: Record<string, unknown>): Media {
  return {
    id: String(item.id),
    ownerId: String(item.ownerId),
    purpose: item.purpose === 'avatar' ? 'avatar' : 'post',
    state: item.state === 'ready' ? 'ready' : 'uploaded',
    contentType: String(item.contentType),
    size: Number(item.size),
    uploadKey: String(item.uploadKey),
    variants: variantsOf(item.variants),
    attachedTo: typeof item.attachedTo === 'string' ? item.attachedTo : null,
    createdAt: String(item.createdAt),
  };
}

/** True for a D1 partition item that is a media item (erasure, export). */
export function isMediaItem(item: Record<string, unknown>): boolean {
  return item.type === 'media';
}

/** Every object key a media item or avatar item read from the table may have in the bucket. */
export function objectKeysOfItem(item: Record<string, unknown>): string[] {
  if (item.type !== 'media') return [];
  const media = fromItem(item);
  return [media.uploadKey, ...media.variants.map((v) => v.key)];
}

/** A media item read from a D1 partition page (export). */
export function mediaFromItem(item: Record<string, unknown>): Media {
  return fromItem(item);
}

/** MD1 — a new upload, with its TTL (removed when it becomes ready). */
export function putUploadWrite(media: Media, now: Date): TxWrite {
  return {
    Put: {
      TableName: tableName(),
      Item: {
        ...mediaKey(media.ownerId, media.id),
        type: 'media',
        ...media,
        expiresAt: Math.floor(now.getTime() / 1000) + UPLOAD_TTL_SECONDS,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** MD1 — one of a member's media, strongly consistent. */
export async function getMedia(ownerId: string, id: string): Promise<Media | undefined> {
  const out = await db().send(
    new GetCommand({ TableName: tableName(), Key: mediaKey(ownerId, id), ConsistentRead: true }),
  );
  return out.Item ? fromItem(out.Item) : undefined;
}

/** MD1 — several of a member's media (≤ 100) in one round trip; absent ids are missing from the map. */
export async function getMediaMany(ownerId: string, ids: readonly string[]): Promise<Map<string, Media>> {
  if (ids.length === 0) return new Map();
  const items = await getAll(
    [...new Set(ids)].map((id) => mediaKey(ownerId, id)),
    true,
  );
  return new Map(items.map((i) => [String(i.id), fromItem(i)]));
}

const LOOSE = 'MEDIA#LOOSE';

/**
 * MD1 — processed: the variants are stored, the TTL is removed. Only from `uploaded`. Until it is
 * attached, the image is listed as loose (MD3) from `readyAt`.
 */
export async function markReady(media: Media, variants: Variant[], readyAt: string): Promise<Media> {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: mediaKey(media.ownerId, media.id),
      UpdateExpression:
        'SET #state = :ready, variants = :variants, gsi3pk = :loose, gsi3sk = :since REMOVE expiresAt',
      ConditionExpression: '#state = :uploaded',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ':ready': 'ready',
        ':uploaded': 'uploaded',
        ':variants': variants,
        ':loose': LOOSE,
        ':since': `${readyAt}#${media.ownerId}#${media.id}`,
      },
    }),
  );
  return { ...media, state: 'ready', variants };
}

/** Deletes a media item (its objects are deleted by the caller, media-store.ts). */
export function deleteMediaWrite(media: Pick<Media, 'ownerId' | 'id'>): TxWrite {
  return { Delete: { TableName: tableName(), Key: mediaKey(media.ownerId, media.id) } };
}

/** Attaches a ready, unattached media of its owner to `target` (`avatar`, `post:<id>`). */
export function attachWrite(media: Media, target: string): TxWrite {
  return {
    Update: {
      TableName: tableName(),
      Key: mediaKey(media.ownerId, media.id),
      // No longer loose (MD3).
      UpdateExpression: 'SET attachedTo = :target REMOVE gsi3pk, gsi3sk',
      ConditionExpression: '#state = :ready AND (attribute_not_exists(attachedTo) OR attachedTo = :none)',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':target': target, ':ready': 'ready', ':none': null },
    },
  };
}

// — MD3: loose images —

export interface LooseMedia {
  ownerId: string;
  id: string;
  variants: Variant[];
}

/** MD3 — images ready before `before` and attached to nothing, oldest first, at most `limit`. */
export async function looseMediaBefore(before: string, opts: { limit: number }): Promise<LooseMedia[]> {
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :loose AND gsi3sk < :before',
      ExpressionAttributeValues: { ':loose': LOOSE, ':before': before },
      Limit: opts.limit,
    }),
  );
  return (out.Items ?? []).map((i) => ({
    ownerId: String(i.ownerId),
    id: String(i.id),
    variants: variantsOf(i.variants),
  }));
}

/** Deletes a loose image's item, unless it was attached (or deleted) since it was listed. */
export function deleteLooseMediaWrite(media: Pick<LooseMedia, 'ownerId' | 'id'>): TxWrite {
  return {
    Delete: {
      TableName: tableName(),
      Key: mediaKey(media.ownerId, media.id),
      ConditionExpression: 'gsi3pk = :loose',
      ExpressionAttributeValues: { ':loose': LOOSE },
    },
  };
}

// — MD2: the profile picture —

export interface Avatar {
  mediaId: string;
  variants: Variant[];
}

function avatarFromItem(item: Record<string, unknown> | undefined): Avatar | undefined {
  if (!item || typeof item.mediaId !== 'string') return undefined;
  return { mediaId: item.mediaId, variants: variantsOf(item.variants) };
}

/** MD2 — a member's profile picture, if any. */
export async function getAvatar(memberId: string): Promise<Avatar | undefined> {
  const out = await db().send(
    new GetCommand({ TableName: tableName(), Key: avatarKey(memberId), ConsistentRead: true }),
  );
  return avatarFromItem(out.Item);
}

/** MD1 + MD2 in one round trip: a media of the member and their current profile picture. */
export async function getMediaAndAvatar(
  memberId: string,
  mediaId: string,
): Promise<{ media?: Media; avatar?: Avatar }> {
  const items = await getAll([mediaKey(memberId, mediaId), avatarKey(memberId)], true);
  const media = items.find((i) => i.sk === `MEDIA#${mediaId}`);
  const avatar = avatarFromItem(items.find((i) => i.sk === 'AVATAR'));
  return { ...(media ? { media: fromItem(media) } : {}), ...(avatar ? { avatar } : {}) };
}

export function putAvatarWrite(media: Media): TxWrite {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...avatarKey(media.ownerId), type: 'avatar', mediaId: media.id, variants: media.variants },
    },
  };
}

/** Removes the profile picture if it is still `mediaId` (a concurrent change wins otherwise). */
export function deleteAvatarWrite(memberId: string, mediaId: string): TxWrite {
  return {
    Delete: {
      TableName: tableName(),
      Key: avatarKey(memberId),
      ConditionExpression: 'mediaId = :id',
      ExpressionAttributeValues: { ':id': mediaId },
    },
  };
}
