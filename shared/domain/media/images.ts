import sharp, { type Metadata, type OutputInfo, type ResizeOptions } from 'sharp';
import type { MediaPurpose } from '../../data/media.ts';
import { ValidationError } from '../../errors.ts';

/** Refused above this, before anything is read (HeadObject), and signed into the upload URL. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** Decompression bombs: refused from the header's dimensions, and sharp refuses to decode more. */
export const MAX_PIXELS = 40_000_000;
export const CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];
const FORMATS = new Set(['jpeg', 'png', 'webp']);

/** Widths written per purpose: posts keep their ratio, avatars are squares framed on what matters. */
export const VARIANT_WIDTHS: Record<MediaPurpose, readonly number[]> = {
  post: [320, 640, 1280],
  avatar: [96, 256],
};

export interface Rendered {
  name: string;
  width: number;
  height: number;
  format: 'webp' | 'jpeg';
  contentType: string;
  body: Buffer;
}

export const refusals = {
  tooLarge: () =>
    new ValidationError('media.too_large', 'L’image dépasse 10 Mo : choisissez un fichier plus léger.'),
  notAnImage: () =>
    new ValidationError(
      'media.not_an_image',
      'Ce fichier n’est pas une image lisible. Envoyez une photo JPEG, PNG ou WebP.',
    ),
  badType: () =>
    new ValidationError('media.bad_type', 'Format non accepté : envoyez une image JPEG, PNG ou WebP.'),
  tooManyPixels: () =>
    new ValidationError(
      'media.too_many_pixels',
      'L’image est trop grande (40 mégapixels au plus) : réduisez-la avant de l’envoyer.',
    ),
};

const INPUT = { limitInputPixels: MAX_PIXELS, failOn: 'error' } as const;

/**
 * Decodes an upload and writes its variants: EXIF orientation applied, then every piece of
 * metadata dropped (sharp writes none unless asked: no EXIF, XMP, IPTC or ICC — the pixels are
 * converted to sRGB first), WebP and a JPEG fallback per width. Throws a French ValidationError
 * for anything that is not a JPEG/PNG/WebP image within the limits.
 */
export async function renderVariants(input: Buffer, purpose: MediaPurpose): Promise<Rendered[]> {
  if (input.length > MAX_UPLOAD_BYTES) throw refusals.tooLarge();
  let meta: Metadata;
  try {
    // The header only (no decode), without the pixel limit: the dimensions are checked below,
    // so a bomb gets its own message rather than "not an image".
    meta = await sharp(input, { limitInputPixels: false, failOn: 'error' }).metadata();
  } catch {
    throw refusals.notAnImage();
  }
  if (!meta.format || !FORMATS.has(meta.format)) throw refusals.badType();
  if (!meta.width || !meta.height) throw refusals.notAnImage();
  if (meta.width * meta.height > MAX_PIXELS || (meta.pages ?? 1) > 1) throw refusals.tooManyPixels();

  // One full decode, oriented and shrunk to the largest width we keep; every variant comes from it.
  const largest = Math.max(...VARIANT_WIDTHS[purpose]);
  let base: { data: Buffer; info: OutputInfo };
  try {
    base = await sharp(input, INPUT)
      .rotate()
      .resize({ width: largest, height: largest, fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch {
    throw refusals.notAnImage();
  }
  const raw = { raw: { width: base.info.width, height: base.info.height, channels: base.info.channels } };

  // A small post image is not enlarged: widths past its own collapse into one variant.
  const widths =
    purpose === 'avatar'
      ? VARIANT_WIDTHS.avatar
      : VARIANT_WIDTHS.post.filter((w, i) => i === 0 || w <= base.info.width);
  const out: Rendered[] = [];
  for (const width of widths) {
    const resize: ResizeOptions =
      purpose === 'avatar'
        ? { width, height: width, fit: 'cover', position: sharp.strategy.attention }
        : { width, fit: 'inside', withoutEnlargement: true };
    const sized = await sharp(base.data, raw).resize(resize).toBuffer({ resolveWithObject: true });
    const pixels = {
      raw: { width: sized.info.width, height: sized.info.height, channels: sized.info.channels },
    };
    const webp = await sharp(sized.data, pixels).webp({ quality: 80 }).toBuffer();
    const jpeg = await sharp(sized.data, pixels)
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 82, mozjpeg: true })
      .toBuffer();
    const dims = { width: sized.info.width, height: sized.info.height };
    out.push(
      { name: `${width}.webp`, ...dims, format: 'webp', contentType: 'image/webp', body: webp },
      { name: `${width}.jpg`, ...dims, format: 'jpeg', contentType: 'image/jpeg', body: jpeg },
    );
  }
  return out;
}
