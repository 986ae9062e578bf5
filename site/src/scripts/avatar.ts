/**
 * Profile pictures (issue 10): how the site shows one (`ImageView` of docs/api.md: WebP sources
 * with a JPEG fallback, each a short-lived signed URL of the media bucket) and how « Mon profil »
 * sends one — createUpload, a PUT of the file straight to the bucket's signed URL with exactly
 * the signed headers, process, setAvatar. The API never sees the file's bytes.
 */
import { ApiError, apiFetch } from './api.ts';

export interface ImageSource {
  url: string;
  width: number;
  height: number;
}

/** `ImageView` in docs/api.md. */
export interface ImageView {
  webp: ImageSource[];
  jpeg: ImageSource[];
  width: number;
  height: number;
}

/** What the API accepts (shared/domain/media/images.ts): checked here too, before anything is sent. */
export const ACCEPTED_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export const MAX_BYTES = 10 * 1024 * 1024;

const srcset = (sources: ImageSource[]) => sources.map((s) => `${s.url} ${s.width}w`).join(', ');

/**
 * A `<picture>` of an image view: WebP first, JPEG for the rest, `sizes` telling the browser how
 * wide it is shown so it picks the smallest variant that is sharp enough.
 */
export function pictureOf(
  view: ImageView,
  opts: { alt: string; sizes: string; className?: string; lazy?: boolean },
): HTMLPictureElement {
  const picture = document.createElement('picture');
  if (view.webp.length > 0) {
    const source = document.createElement('source');
    source.type = 'image/webp';
    source.srcset = srcset(view.webp);
    source.sizes = opts.sizes;
    picture.append(source);
  }
  const img = document.createElement('img');
  const fallback = view.jpeg.at(-1) ?? view.webp.at(-1);
  if (fallback) img.src = fallback.url;
  if (view.jpeg.length > 0) {
    img.srcset = srcset(view.jpeg);
    img.sizes = opts.sizes;
  }
  img.width = view.width;
  img.height = view.height;
  img.alt = opts.alt;
  img.decoding = 'async';
  img.loading = opts.lazy ? 'lazy' : 'eager';
  if (opts.className) img.className = opts.className;
  picture.append(img);
  return picture;
}

/** A French reason to refuse a file before sending it, or null when it may go. */
export function refusalOf(file: File): string | null {
  if (!(ACCEPTED_TYPES as readonly string[]).includes(file.type))
    return 'Format non accepté : choisissez une image JPEG, PNG ou WebP.';
  if (file.size === 0) return 'Le fichier est vide.';
  if (file.size > MAX_BYTES) return 'L’image dépasse 10 Mo : choisissez un fichier plus léger.';
  return null;
}

interface UploadTicket {
  mediaId: string;
  upload: { method: 'PUT'; url: string; headers: Record<string, string> };
}

export type UploadStep = 'sending' | 'processing' | 'saving';

/** PUTs the file to the signed URL with exactly the signed headers, reporting the bytes sent. */
function put(ticket: UploadTicket, file: File, onProgress: (fraction: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', ticket.upload.url);
    for (const [name, value] of Object.entries(ticket.upload.headers)) xhr.setRequestHeader(name, value);
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve();
      else
        reject(
          new ApiError(
            xhr.status,
            'media.upload_refused',
            'L’envoi de l’image a été refusé. Réessayez ; si cela se répète, choisissez une autre image.',
          ),
        );
    });
    const unreachable = () =>
      reject(
        new ApiError(
          0,
          'media.upload_failed',
          'L’image n’a pas pu être envoyée. Vérifiez votre connexion internet et réessayez.',
        ),
      );
    xhr.addEventListener('error', unreachable);
    xhr.addEventListener('timeout', unreachable);
    xhr.send(file);
  });
}

/**
 * Sends a file as my profile picture; the API's French messages come back as ApiError. Returns
 * the new picture as the API signed it for me.
 */
export async function uploadAvatar(
  file: File,
  onStep: (step: UploadStep, fraction?: number) => void,
): Promise<ImageView | null> {
  onStep('sending', 0);
  const ticket = await apiFetch<UploadTicket>('/api/media/uploads', {
    method: 'POST',
    body: { purpose: 'avatar', contentType: file.type, size: file.size },
  });
  await put(ticket, file, (fraction) => onStep('sending', fraction));
  onStep('processing');
  await apiFetch(`/api/media/${encodeURIComponent(ticket.mediaId)}/process`, { method: 'POST' });
  onStep('saving');
  const { avatar } = await apiFetch<{ avatar: ImageView | null }>('/api/me/avatar', {
    method: 'PUT',
    body: { mediaId: ticket.mediaId },
  });
  return avatar;
}

export async function removeAvatar(): Promise<void> {
  await apiFetch('/api/me/avatar', { method: 'DELETE' });
}
