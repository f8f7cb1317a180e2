import { ErrorCode } from '@atrium/contracts';

import { ApiError } from '../../lib/api';
import type { Media } from './api/media.api';

/** What the API accepts (apps/api/src/modules/media): checked here only to answer sooner. */
export const MEDIA_MAX_BYTES = 10 * 1024 * 1024;
export const MEDIA_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export const ALT_TEXT_MAX = 500;
export const CAPTION_MAX = 1000;

/** The part of an image a page needs to show it (a library image, or a post's cover). */
export type ShownImage = Pick<Media, 'url' | 'srcset' | 'width' | 'height' | 'altText'>;

export const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`;

/** Why a file cannot go into the library, before sending it; the API judges the bytes again. */
export function fileProblem(file: File): string | undefined {
  if (file.size === 0) return 'The file is empty. Choose an image.';
  // An unknown type (some systems give none) is left to the API, which reads the content.
  if (file.type && !(MEDIA_TYPES as readonly string[]).includes(file.type)) {
    return `“${file.name}” is not a PNG, JPEG or WebP image. Choose one of those.`;
  }
  if (file.size > MEDIA_MAX_BYTES) {
    return `“${file.name}” is ${megabytes(file.size)}; the largest is ${megabytes(MEDIA_MAX_BYTES)}. Choose a smaller image, or scale it down first.`;
  }
  return undefined;
}

/** The API's refusal of an upload in words a person can act on (a proxy's own 413 page says nothing useful). */
export function uploadProblem(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.httpStatus === 413 || error.code === ErrorCode.PAYLOAD_TOO_LARGE) {
      return `The image is larger than ${megabytes(MEDIA_MAX_BYTES)}. Choose a smaller one, or scale it down first.`;
    }
    if (error.httpStatus === 415 || error.code === ErrorCode.UNSUPPORTED_MEDIA_TYPE) {
      return 'The file is not a PNG, JPEG or WebP image (judged by its content). Choose one of those.';
    }
    return error.message;
  }
  return error instanceof Error ? error.message : 'Something unexpected went wrong.';
}

/** A deletion refused because posts still show the image (`409`, detail `MEDIA_IN_USE`). */
export const isInUse = (error: unknown): boolean =>
  error instanceof ApiError &&
  error.httpStatus === 409 &&
  error.details.some((detail) => detail.code === 'MEDIA_IN_USE');

/** "Shown in 2 posts" / "Not in any post". */
export const usedByText = (count: number) =>
  count === 0 ? 'Not in any post' : `Shown in ${count} ${count === 1 ? 'post' : 'posts'}`;

/** Alt text as Markdown image text: one line, brackets and backslashes escaped. */
export function markdownAlt(alt: string): string {
  return alt
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/([\\[\]])/g, '\\$1');
}

/** The Markdown that puts a library image in a post: `![alt](media:<id>)`. */
export const mediaMarkdown = (alt: string, id: string) => `![${markdownAlt(alt)}](media:${id})`;

/** When it was uploaded, for naming an image that has no alt text yet. */
export const uploadedOn = (iso: string) =>
  new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

/** How an image is named on buttons and in lists: its alt text, or when it came. */
export const imageName = (media: Pick<Media, 'altText' | 'createdAt'>) =>
  media.altText ? `“${media.altText}”` : `without alt text, uploaded ${uploadedOn(media.createdAt)}`;
