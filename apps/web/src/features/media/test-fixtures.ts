import type { Schema } from '@atrium/api-client';

import { envelope } from '../../test/api-fixtures';
import type { Media } from './api/media.api';

const OWNER = '0193c5a2-9000-7c31-9a55-3f4b2d1e6a71';

/** The id of library image `n`. */
export const mediaId = (n: number) => `0193c5a2-5000-7000-8000-${String(n).padStart(12, '0')}`;

/** An image of the library as the API answers it (three WebP variants). */
export function mediaItem(n: number, overrides: Partial<Media> = {}): Media {
  const id = mediaId(n);
  const file = (width: number) => `/api/v1/media/files/${id.replace(/-/g, '')}${width}`;
  const altText = overrides.altText === undefined ? `Image number ${n}` : overrides.altText;
  return {
    id,
    ownerId: OWNER,
    url: file(1600),
    srcset: `${file(480)} 480w, ${file(960)} 960w, ${file(1600)} 1600w`,
    width: 1600,
    height: 1067,
    altText,
    caption: null,
    sourceFormat: 'jpeg',
    variants: [
      { url: file(480), width: 480, height: 320, bytes: 20_000 },
      { url: file(960), width: 960, height: 640, bytes: 60_000 },
      { url: file(1600), width: 1600, height: 1067, bytes: 140_000 },
    ],
    usedBy: 0,
    markdown: `![${altText ?? ''}](media:${id})`,
    createdAt: '2025-06-14T09:00:00.000Z',
    updatedAt: '2025-06-14T09:00:00.000Z',
    ...overrides,
  };
}

export const mediaListEnvelope = (items: Media[], pagination: Partial<Schema<'PaginationMetaDto'>> = {}) => ({
  ...envelope(items),
  meta: {
    requestId: 'req-media',
    timestamp: '2025-06-01T12:00:00.000Z',
    pagination: {
      page: 1,
      perPage: 24,
      totalItems: items.length,
      totalPages: 1,
      hasNext: false,
      hasPrev: false,
      ...pagination,
    },
  },
});

/** A small file as the file picker would give it. */
export const imageFile = (name = 'gull.png', type = 'image/png', bytes = 64) =>
  new File([new Uint8Array(bytes).fill(1)], name, { type });
