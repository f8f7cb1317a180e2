import { newAvatarKey } from '../avatars/avatar-key';
import { processImageUpload } from '../avatars/avatar-image';
import type { MediaVariant } from './entities';

/** Largest accepted upload: 10 MiB. */
export const MEDIA_MAX_BYTES = 10 * 1024 * 1024;
/** Decoded pixels at most (a decompression bomb is refused before it fills memory). */
export const MEDIA_MAX_INPUT_PIXELS = 40_000_000;
/** The widths stored for `srcset`; an image narrower than one is kept at its own width instead. */
export const MEDIA_WIDTHS = [480, 960, 1600] as const;

export interface MediaImage {
  sourceFormat: string;
  /** Smallest first, each with its bytes. */
  variants: Array<MediaVariant & { data: Buffer }>;
}

/**
 * An upload as the media library keeps it: sniffed (PNG, JPEG, WebP only), turned upright, and
 * re-encoded from decoded pixels to WebP at each width of MEDIA_WIDTHS below its own (and its own,
 * up to the largest), never enlarged; no metadata (EXIF, GPS, XMP, ICC) survives.
 */
export function toMediaImage(upload: Buffer): Promise<MediaImage> {
  return processImageUpload(upload, MEDIA_MAX_INPUT_PIXELS, async (image, sourceFormat) => {
    const { width = 0, height = 0, orientation = 1 } = await image.metadata();
    // EXIF orientations 5–8 turn the picture a quarter: shown, it is as wide as it is stored high.
    const shownWidth = orientation >= 5 ? height : width;
    const largest = Math.min(shownWidth, MEDIA_WIDTHS[MEDIA_WIDTHS.length - 1]);
    const widths = [...MEDIA_WIDTHS.filter((w) => w < largest), largest];
    const variants: MediaImage['variants'] = [];
    for (const target of widths) {
      const { data, info } = await image
        .clone()
        .rotate()
        .resize({ width: target, withoutEnlargement: true })
        .webp({ quality: 80 })
        .toBuffer({ resolveWithObject: true });
      variants.push({ key: newAvatarKey(), width: info.width, height: info.height, bytes: data.length, data });
    }
    return { sourceFormat, variants };
  });
}
