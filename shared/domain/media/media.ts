import * as z from 'zod/mini';
import type { Actor } from '../../auth/actor.ts';
import { failedConditionIndex, isConditionFailure, type TxWrite, transact } from '../../data/client.ts';
import {
  type Avatar,
  attachWrite,
  deleteAvatarWrite,
  deleteMediaWrite,
  getAvatar,
  getMedia,
  getMediaAndAvatar,
  MEDIA_PURPOSES,
  type Media,
  markReady,
  putAvatarWrite,
  putUploadWrite,
  type Variant,
} from '../../data/media.ts';
import {
  deleteObjects,
  mediaObjectKeys,
  objectSize,
  presignUpload,
  readObject,
  signedReadUrl,
  uploadKey,
  variantKey,
  writeObject,
} from '../../data/media-store.ts';
import type { Limit } from '../../data/rate-limits.ts';
import { rateLimitWrite, secondsLeft } from '../../data/rate-limits.ts';
import { ConflictError, NotFoundError, RateLimitedError, ValidationError } from '../../errors.ts';
import { logger } from '../../log.ts';
import { type Deps, defaultDeps } from '../deps.ts';
import { Id } from '../schemas.ts';
import { deleteObjectsLater } from './cleanup.ts';
import { CONTENT_TYPES, MAX_UPLOAD_BYTES, refusals, renderVariants } from './images.ts';

/** Uploads per member and day (each up to 10 MB and a few seconds of processing). */
export function uploadLimit(): Limit {
  const value = Number(process.env.RATE_LIMIT_UPLOADS_PER_DAY);
  return {
    action: 'upload',
    max: Number.isInteger(value) && value > 0 ? value : 60,
    windowSeconds: 24 * 3600,
  };
}

export const CreateUploadInput = z.strictObject({
  purpose: z.enum(
    MEDIA_PURPOSES,
    'Précisez s’il s’agit d’une photo de profil ou d’une image de publication.',
  ),
  contentType: z.enum(CONTENT_TYPES, 'Format non accepté : envoyez une image JPEG, PNG ou WebP.'),
  size: z
    .number()
    .check(
      z.int('Taille invalide.'),
      z.positive('Le fichier est vide.'),
      z.maximum(MAX_UPLOAD_BYTES, 'L’image dépasse 10 Mo : choisissez un fichier plus léger.'),
    ),
});

export interface UploadTicket {
  mediaId: string;
  /** A presigned PUT: send the file as the body with exactly these headers, within 5 minutes. */
  upload: { method: 'PUT'; url: string; headers: Record<string, string> };
}

/** What the owner learns of a processed image: no key, no URL (those come with the reads). */
export interface MediaSummary {
  id: string;
  purpose: Media['purpose'];
  state: Media['state'];
  width: number;
  height: number;
}

function summary(media: Media): MediaSummary {
  const largest = media.variants.reduce<Variant | undefined>(
    (best, v) => (!best || v.width > best.width ? v : best),
    undefined,
  );
  return {
    id: media.id,
    purpose: media.purpose,
    state: media.state,
    width: largest?.width ?? 0,
    height: largest?.height ?? 0,
  };
}

/**
 * Hands out a presigned PUT for one image (the browser uploads straight to the bucket) after
 * recording the media item and counting the upload against the member's daily limit, in one
 * transaction. The declared type and size are signed into the URL.
 */
export async function createUpload(
  actor: Actor,
  input: z.infer<typeof CreateUploadInput>,
  deps: Deps = defaultDeps,
): Promise<UploadTicket> {
  const now = deps.now();
  const id = deps.newId();
  const media: Media = {
    id,
    ownerId: actor.memberId,
    purpose: input.purpose,
    state: 'uploaded',
    contentType: input.contentType,
    size: input.size,
    uploadKey: uploadKey(actor.memberId, id),
    variants: [],
    attachedTo: null,
    createdAt: now.toISOString(),
  };
  const limit = uploadLimit();
  try {
    await transact([putUploadWrite(media, now), rateLimitWrite(actor.memberId, limit, now)]);
  } catch (error) {
    if (failedConditionIndex(error) === 1)
      throw new RateLimitedError(
        'media.rate_limited',
        'Vous avez envoyé beaucoup d’images aujourd’hui : réessayez demain.',
        secondsLeft(limit, now),
      );
    throw error;
  }
  const upload = await presignUpload(media.uploadKey, input.contentType, input.size);
  return { mediaId: id, upload: { method: 'PUT', ...upload } };
}

const NOT_FOUND = () => new NotFoundError('media.not_found', 'Cette image est introuvable.');

/**
 * Processes an upload: HeadObject first (≤ 10 MB), then decode, strip, resize, write the
 * variants, mark the media ready and delete the raw upload. Any refusal deletes the raw upload
 * and the media item and writes no variant: nothing is left behind. Idempotent once ready.
 */
export async function processUpload(actor: Actor, mediaId: string): Promise<MediaSummary> {
  const media = await getMedia(actor.memberId, mediaId);
  if (!media) throw NOT_FOUND();
  if (media.state === 'ready') return summary(media);

  const size = await objectSize(media.uploadKey);
  if (size === undefined)
    throw new ValidationError('media.not_uploaded', 'Le fichier n’a pas été reçu : envoyez-le de nouveau.');
  const discard = async () => {
    await deleteObjects([media.uploadKey]);
    await transact([deleteMediaWrite(media)]);
  };
  if (size > MAX_UPLOAD_BYTES) {
    await discard();
    throw refusals.tooLarge();
  }

  const written: string[] = [];
  let ready: Media;
  try {
    const rendered = await renderVariants(await readObject(media.uploadKey), media.purpose);
    const variants: Variant[] = [];
    for (const r of rendered) {
      const key = variantKey(media.ownerId, media.id, r.name);
      written.push(key);
      await writeObject(key, r.body, r.contentType);
      variants.push({ key, width: r.width, height: r.height, format: r.format });
    }
    ready = await markReady(media, variants, new Date().toISOString());
  } catch (error) {
    await deleteObjects(written);
    if (isConditionFailure(error))
      throw new ConflictError('media.conflict', 'Cette image a déjà été traitée.');
    await discard();
    throw error;
  }
  // The raw upload (with whatever metadata it carried) is no longer needed. Should this fail, the
  // image stays good: the bucket's lifecycle rule expires `uploads/` after a day, and every later
  // deletion of the image deletes this key too.
  await deleteObjects([media.uploadKey]).catch((error: unknown) =>
    logger.warn('media.raw_upload_left', { mediaId: media.id, error: String(error) }),
  );
  return summary(ready);
}

// — Views: signed URLs, issued only by reads that applied the policy —

export interface ImageSource {
  url: string;
  width: number;
  height: number;
}

/** An image as the site shows it: WebP sources with a JPEG fallback, each a short-lived signed URL. */
export interface ImageView {
  webp: ImageSource[];
  jpeg: ImageSource[];
  width: number;
  height: number;
}

/**
 * Signs the variants of an image the caller has ALREADY decided the actor may see (profile
 * policy, post audience): presigning is local computation, no network call.
 */
export async function imageView(variants: readonly Variant[]): Promise<ImageView | null> {
  if (variants.length === 0) return null;
  const sign = async (v: Variant) => ({ url: await signedReadUrl(v.key), width: v.width, height: v.height });
  const byWidth = [...variants].sort((a, b) => a.width - b.width);
  const webp = await Promise.all(byWidth.filter((v) => v.format === 'webp').map(sign));
  const jpeg = await Promise.all(byWidth.filter((v) => v.format === 'jpeg').map(sign));
  const largest = byWidth.at(-1);
  return { webp, jpeg, width: largest?.width ?? 0, height: largest?.height ?? 0 };
}

/** The profile picture of a member whose profile the caller has already let the actor see. */
export async function avatarView(memberId: string): Promise<ImageView | null> {
  const avatar = await getAvatar(memberId);
  return avatar ? imageView(avatar.variants) : null;
}

// — The profile picture —

export const SetAvatarInput = z.strictObject({ mediaId: Id });

/**
 * Makes one of my ready `avatar` media my profile picture; the previous picture's item is
 * deleted, its objects by a task queued with it (cleanup.ts). Returns the new picture (my own
 * profile: I may see it).
 */
export async function setAvatar(
  actor: Actor,
  mediaId: string,
  deps: Deps = defaultDeps,
): Promise<ImageView | null> {
  const { media, avatar } = await getMediaAndAvatar(actor.memberId, mediaId);
  if (!media) throw NOT_FOUND();
  if (media.purpose !== 'avatar')
    throw new ValidationError(
      'media.wrong_purpose',
      'Cette image n’a pas été envoyée comme photo de profil.',
    );
  if (media.state !== 'ready')
    throw new ConflictError('media.not_ready', 'L’image n’est pas encore prête : réessayez dans un instant.');
  if (avatar?.mediaId === media.id) return imageView(media.variants);
  if (media.attachedTo !== null) throw new ConflictError('media.attached', 'Cette image est déjà utilisée.');
  try {
    await transact([
      attachWrite(media, 'avatar'),
      putAvatarWrite(media),
      ...(avatar ? previousAvatarDeletion(actor.memberId, avatar, deps) : []),
    ]);
  } catch (error) {
    if (failedConditionIndex(error) >= 0)
      throw new ConflictError('media.attached', 'Cette image est déjà utilisée.');
    throw error;
  }
  return imageView(media.variants);
}

/**
 * The writes that delete a replaced or removed picture: its media item, and the task for its
 * objects — whose keys are on the avatar item itself (no extra read of the media item).
 */
function previousAvatarDeletion(ownerId: string, avatar: Avatar, deps: Deps): TxWrite[] {
  return [
    deleteMediaWrite({ ownerId, id: avatar.mediaId }),
    ...deleteObjectsLater(mediaObjectKeys(ownerId, avatar.mediaId, avatar.variants), deps),
  ];
}

/** Removes my profile picture: the avatar item and its media item; its objects by a queued task. */
export async function removeAvatar(actor: Actor, deps: Deps = defaultDeps): Promise<void> {
  const avatar = await getAvatar(actor.memberId);
  if (!avatar) return;
  try {
    await transact([
      deleteAvatarWrite(actor.memberId, avatar.mediaId),
      ...previousAvatarDeletion(actor.memberId, avatar, deps),
    ]);
  } catch (error) {
    // Changed meanwhile: the other change deleted what it replaced.
    if (failedConditionIndex(error) === 0) return;
    throw error;
  }
}
