import * as z from 'zod/mini';
import type { TxWrite } from '../../data/client.ts';
import {
  attachWrite,
  deleteMediaWrite,
  type Media,
  mediaFromItem,
  mediaItemKey,
  type Variant,
} from '../../data/media.ts';
import { mediaObjectKeys, signedReadUrl } from '../../data/media-store.ts';
import type { Post, PostImage } from '../../data/posts.ts';
import { ValidationError } from '../../errors.ts';
import type { Deps } from '../deps.ts';
import { deleteObjectsLater } from '../media/cleanup.ts';
import { freeText, Id } from '../schemas.ts';

/**
 * Images in posts (issue 10, ADR 013). The author attaches up to 4 of their own processed `post`
 * media, each with a required alternative text; the media's variants are copied onto the post
 * item in the post's transaction (the media item is marked attached there, under a condition), so
 * every read of a post has what it needs to sign its images without another call. URLs are signed
 * only by reads that already applied the read policy (read.ts `postView`, after `mayRead`).
 */

export const MAX_POST_IMAGES = 4;

const Alt = z.pipe(
  freeText(300),
  z.string().check(z.minLength(1, 'Décrivez chaque image : le texte alternatif est obligatoire.')),
);

export const PostImageInput = z.strictObject({
  mediaId: Id,
  alt: z.pipe(z.string('Décrivez chaque image : le texte alternatif est obligatoire.'), Alt),
});

export const PostImagesInput = z
  .array(PostImageInput)
  .check(z.maxLength(MAX_POST_IMAGES, `${MAX_POST_IMAGES} images au plus par message.`));

const refused = () =>
  new ValidationError(
    'post.image_not_allowed',
    'Une des images ne peut pas être jointe : envoyez-la de nouveau depuis ce formulaire.',
    'images',
  );

/** The keys of the author's media to read with the rest of the post's facts (one BatchGet). */
export function imageKeys(authorId: string, images: readonly { mediaId: string }[]) {
  // Each once (a BatchGet refuses duplicate keys); a repeated image is refused by `attachImages`.
  return [...new Set(images.map((i) => i.mediaId))].map((id) => mediaItemKey(authorId, id));
}

/**
 * Checks the requested images against the author's media read in the BatchGet and returns the
 * post's images and the writes that attach them (conditional: ready and still unattached, so two
 * concurrent posts cannot both take one image). Only the author's own `ready` media of purpose
 * `post`, not attached elsewhere, each once; anything else is refused the same way.
 */
export function attachImages(
  authorId: string,
  postId: string,
  requested: readonly z.infer<typeof PostImageInput>[],
  items: readonly Record<string, unknown>[],
): { images: PostImage[]; writes: TxWrite[] } {
  const media = new Map<string, Media>();
  for (const item of items) {
    const m = mediaFromItem(item);
    if (m.ownerId === authorId) media.set(m.id, m);
  }
  const seen = new Set<string>();
  const images: PostImage[] = [];
  const writes: TxWrite[] = [];
  for (const { mediaId, alt } of requested) {
    const m = media.get(mediaId);
    if (seen.has(mediaId) || !m || m.purpose !== 'post' || m.state !== 'ready' || m.attachedTo !== null)
      throw refused();
    seen.add(mediaId);
    images.push({ mediaId, alt, variants: m.variants });
    writes.push(attachWrite(m, `post:${postId}`));
  }
  return { images, writes };
}

export { refused as imageRefused };

/** True when a cancelled transaction met a concurrent one on one of its first `count` writes (the attaches). */
export function attachConflict(error: unknown, count: number): boolean {
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  return !!reasons?.slice(0, count).some((r) => r.Code === 'TransactionConflict');
}

/** An image as a reader gets it: `<img src srcset sizes width height alt>` (+ a WebP `<source>`). */
export interface PostImageView {
  alt: string;
  /** Of the largest variant: the intrinsic ratio, so that the page does not jump. */
  width: number;
  height: number;
  /** A JPEG of at most 640 px wide (the fallback). */
  src: string;
  /** `url 320w, url 640w, …` — JPEG. */
  srcset: string;
  /** The same widths in WebP, for a `<source type="image/webp">`. */
  webpSrcset: string;
}

async function srcsetOf(variants: readonly Variant[]): Promise<string> {
  const signed = await Promise.all(variants.map(async (v) => `${await signedReadUrl(v.key)} ${v.width}w`));
  return signed.join(', ');
}

/**
 * Signs a post's images. Call ONLY for a post the read policy has let the viewer read (or their
 * own): presigning is local computation, no network call; the URLs live 10 minutes.
 */
export async function imageViews(post: Pick<Post, 'images' | 'deleted'>): Promise<PostImageView[]> {
  if (post.deleted) return [];
  return Promise.all(
    post.images.map(async (image) => {
      const byWidth = [...image.variants].sort((a, b) => a.width - b.width);
      const jpeg = byWidth.filter((v) => v.format === 'jpeg');
      const webp = byWidth.filter((v) => v.format === 'webp');
      const fallback = jpeg.filter((v) => v.width <= 640).at(-1) ?? jpeg[0];
      const largest = byWidth.at(-1);
      const [src, srcset, webpSrcset] = await Promise.all([
        fallback ? signedReadUrl(fallback.key) : Promise.resolve(''),
        srcsetOf(jpeg),
        srcsetOf(webp),
      ]);
      return {
        alt: image.alt,
        width: largest?.width ?? 0,
        height: largest?.height ?? 0,
        src,
        srcset,
        webpSrcset,
      };
    }),
  );
}

/**
 * The writes that delete a post's images, in the deletion's transaction: their media items, and
 * the task that deletes their objects once it commits (media/cleanup.ts).
 */
export function deleteImageWrites(post: Pick<Post, 'authorId' | 'images'>, deps: Deps): TxWrite[] {
  const keys = post.images.flatMap((i) => mediaObjectKeys(post.authorId, i.mediaId, i.variants));
  return [
    ...post.images.map((i) => deleteMediaWrite({ ownerId: post.authorId, id: i.mediaId })),
    ...deleteObjectsLater(keys, deps),
  ];
}
