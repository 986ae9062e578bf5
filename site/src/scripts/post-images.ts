/**
 * Images in posts (issue 10): how a post's images show (`PostImageView` of docs/api.md, signed
 * URLs that live 10 minutes) and how the composer sends one — createUpload, a PUT of the file
 * straight to the bucket's signed URL with exactly the signed headers, process. The API never
 * sees the file's bytes; the post then names the processed media with its alternative text.
 */
import '../styles/post-images.css';
import { ApiError, apiFetch } from './api.ts';
import { element } from './labels.ts';

/** `PostImageView` in docs/api.md. */
export interface PostImage {
  alt: string;
  width: number;
  height: number;
  src: string;
  srcset: string;
  webpSrcset: string;
}

export const MAX_POST_IMAGES = 4;
export const ALT_MAX = 300;
const ACCEPTED = ['image/jpeg', 'image/png', 'image/webp'];
const MAX_BYTES = 10 * 1024 * 1024;

/** A post card is at most ~40rem wide; one image takes the width, several share it in two columns. */
const sizesFor = (count: number) =>
  count === 1 ? '(min-width: 44rem) 40rem, 100vw' : '(min-width: 44rem) 20rem, 50vw';

/** The images of a post: `<picture>`s (WebP, JPEG fallback), lazy, with their size and `alt`. */
export function postImages(images: readonly PostImage[]): HTMLElement | null {
  if (images.length === 0) return null;
  const box = element('div', undefined, images.length === 1 ? 'post-images single' : 'post-images');
  const sizes = sizesFor(images.length);
  for (const image of images) {
    const picture = document.createElement('picture');
    if (image.webpSrcset) {
      const source = document.createElement('source');
      source.type = 'image/webp';
      source.srcset = image.webpSrcset;
      source.sizes = sizes;
      picture.append(source);
    }
    const img = document.createElement('img');
    img.alt = image.alt;
    img.width = image.width;
    img.height = image.height;
    img.loading = 'lazy';
    img.decoding = 'async';
    img.src = image.src;
    if (image.srcset) {
      img.srcset = image.srcset;
      img.sizes = sizes;
    }
    picture.append(img);
    box.append(picture);
  }
  return box;
}

/** A French reason to refuse a file before sending it, or null when it may go. */
export function fileRefusal(file: File): string | null {
  if (!ACCEPTED.includes(file.type)) return 'Format non accepté : choisissez une image JPEG, PNG ou WebP.';
  if (file.size === 0) return 'Le fichier est vide.';
  if (file.size > MAX_BYTES) return 'L’image dépasse 10 Mo : choisissez un fichier plus léger.';
  return null;
}

interface UploadTicket {
  mediaId: string;
  upload: { method: 'PUT'; url: string; headers: Record<string, string> };
}

/** Sends one image for a post and has it processed; returns its media id (ApiError in French otherwise). */
export async function uploadPostImage(file: File): Promise<string> {
  const ticket = await apiFetch<UploadTicket>('/api/media/uploads', {
    method: 'POST',
    body: { purpose: 'post', contentType: file.type, size: file.size },
  });
  let put: Response;
  try {
    put = await fetch(ticket.upload.url, { method: 'PUT', headers: ticket.upload.headers, body: file });
  } catch {
    throw new ApiError(
      0,
      'media.upload_failed',
      'L’image n’a pas pu être envoyée. Vérifiez votre connexion internet et réessayez.',
    );
  }
  if (!put.ok)
    throw new ApiError(
      put.status,
      'media.upload_refused',
      'L’envoi de l’image a été refusé. Réessayez ; si cela se répète, choisissez une autre image.',
    );
  await apiFetch(`/api/media/${encodeURIComponent(ticket.mediaId)}/process`, { method: 'POST' });
  return ticket.mediaId;
}
