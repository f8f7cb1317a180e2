import { fileTypeFromBuffer } from 'file-type';
import type { Sharp } from 'sharp';
import { ErrorCode } from '@atrium/contracts';
import { ApiException } from '../../common/http/api.exception';

/** Largest accepted upload: 2 MiB. */
export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;
/** What every stored avatar is, whatever was uploaded. */
export const AVATAR_CONTENT_TYPE = 'image/webp';
/** Served avatars are square WebP images of this many pixels a side. */
export const AVATAR_SIZE = 256;
/**
 * A 2 MB PNG can decode to gigabytes of pixels (a decompression bomb); 25 megapixels is more than a
 * 2 MB photo ever has and bounds the memory one upload can take.
 */
export const AVATAR_MAX_INPUT_PIXELS = 25_000_000;

export type AvatarSourceFormat = 'png' | 'jpeg' | 'webp';

/** What is accepted, decided by the file's bytes (never its name or declared type), as sharp names it. */
const ACCEPTED: Readonly<Partial<Record<string, AvatarSourceFormat>>> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/webp': 'webp',
};

export interface AvatarImage {
  /** The 256×256 WebP, re-encoded from decoded pixels: nothing of the upload's bytes or metadata survives. */
  data: Buffer;
  sourceFormat: AvatarSourceFormat;
}

const unsupported = (message: string): ApiException =>
  new ApiException(415, ErrorCode.UNSUPPORTED_MEDIA_TYPE, message, [
    { field: 'file', message: 'Only PNG, JPEG and WebP images are accepted', code: 'UNSUPPORTED_IMAGE_TYPE' },
  ]);

const invalid = (message: string, code: string): ApiException =>
  new ApiException(400, ErrorCode.VALIDATION_ERROR, message, [{ field: 'file', message, code }]);

/**
 * Checks what an uploaded image really is and hands the decoder to `work`: only PNG, JPEG and WebP
 * (by content sniffing) reach the decoder, so SVG, HTML, PDF and the like are never parsed, let
 * alone served. Errors of the whole pipeline (a damaged file, more than `maxPixels`) come out in the
 * envelope's words. Shared by avatars and the media library.
 */
export async function processImageUpload<T>(
  upload: Buffer,
  maxPixels: number,
  work: (image: Sharp, sourceFormat: AvatarSourceFormat) => Promise<T>,
): Promise<T> {
  if (upload.length === 0) throw invalid('The file is empty', 'EMPTY_FILE');
  const sniffed = await fileTypeFromBuffer(upload);
  if (sniffed === undefined) {
    throw unsupported('The file is not a PNG, JPEG or WebP image: its content matches no image format');
  }
  const sourceFormat = ACCEPTED[sniffed.mime];
  if (sourceFormat === undefined) {
    throw unsupported(
      `The file is ${sniffed.ext.toUpperCase()} (${sniffed.mime}), which is not accepted; upload a PNG, JPEG or WebP image`,
    );
  }

  // Loaded at the first image (libvips is ~20 MB resident), not with every process (decision 91).
  const { default: sharp } = await import('sharp');
  try {
    const image = sharp(upload, { limitInputPixels: maxPixels, failOn: 'error' });
    // sharp sniffs on its own too; a disagreement means a crafted file, so it is refused.
    const { format } = await image.metadata();
    if (format !== sourceFormat) throw unsupported(`The file starts like ${sourceFormat.toUpperCase()} but is not one`);
    return await work(image, sourceFormat);
  } catch (error) {
    if (error instanceof ApiException) throw error;
    if (error instanceof Error && /pixel limit/i.test(error.message)) {
      throw invalid(
        `The image has more than ${maxPixels / 1_000_000} megapixels; scale it down first`,
        'TOO_MANY_PIXELS',
      );
    }
    throw invalid(`The ${sourceFormat.toUpperCase()} image is damaged and cannot be read`, 'UNREADABLE_IMAGE');
  }
}

/**
 * The avatar of an upload: turned upright (EXIF orientation), cropped to a centred square, scaled
 * to 256×256 and written as WebP without any metadata (EXIF, GPS, XMP, ICC), which sharp drops by default.
 */
export function toAvatarImage(upload: Buffer): Promise<AvatarImage> {
  return processImageUpload(upload, AVATAR_MAX_INPUT_PIXELS, async (image, sourceFormat) => {
    const data = await image
      .rotate()
      .resize(AVATAR_SIZE, AVATAR_SIZE, { fit: 'cover', position: 'centre' })
      .webp({ quality: 82 })
      .toBuffer();
    return { data, sourceFormat };
  });
}
