import type { Schema } from '@atrium/api-client';

import { envelope } from '../../test/api-fixtures';
import type { CategoryNode, EditablePost, MyPostSummary, Revision, RevisionSummary, Tag } from './api/writing.api';

const author = {
  id: '0193c5a2-9000-7c31-9a55-3f4b2d1e6a71',
  username: 'ada',
  firstName: 'Ada',
  lastName: 'Lovelace',
  avatarUrl: null,
};

export const POST_ID = '0193c5a2-7000-7000-8000-000000000101';

export function mySummary(n: number, overrides: Partial<MyPostSummary> = {}): MyPostSummary {
  return {
    id: `0193c5a2-7000-7000-8000-${String(n).padStart(12, '0')}`,
    title: `Post number ${n}`,
    slug: `post-number-${n}`,
    excerpt: `The excerpt of post ${n}.`,
    status: 'draft',
    visibility: 'public',
    featured: false,
    publishedAt: null,
    scheduledAt: null,
    readingTimeMinutes: 1,
    readingLevel: 5,
    viewCount: 0,
    commentCount: 0,
    commentsOpen: true,
    author,
    category: null,
    tags: [],
    createdAt: '2025-06-14T09:00:00.000Z',
    updatedAt: '2025-06-14T09:30:00.000Z',
    ...overrides,
  };
}

export function draft(overrides: Partial<EditablePost> = {}): EditablePost {
  return {
    ...mySummary(101, { title: 'Tides of the North Sea', slug: 'tides-of-the-north-sea' }),
    id: POST_ID,
    body: '## High water\n\nTwice a day the harbour fills.',
    html: '<h2>High water</h2>\n<p>Twice a day the harbour fills.</p>\n',
    version: 1,
    ...overrides,
  };
}

export const coastTag: Tag = {
  id: '0193c5a2-2000-7000-8000-000000000001',
  name: 'Coast',
  slug: 'coast',
  color: null,
  usageCount: 3,
  createdAt: '2025-05-01T08:00:00.000Z',
  updatedAt: '2025-05-01T08:00:00.000Z',
};

export const tagsEnvelope = (tags: Tag[] = [coastTag]) => ({
  ...envelope(tags),
  meta: {
    requestId: 'req-tags',
    timestamp: '2025-06-01T12:00:00.000Z',
    pagination: { page: 1, perPage: 100, totalItems: tags.length, totalPages: 1, hasNext: false, hasPrev: false },
  },
});

export const categories: CategoryNode[] = [
  {
    id: '0193c5a2-1000-7000-8000-000000000001',
    name: 'Coast',
    slug: 'coast',
    description: '',
    parentId: null,
    sortOrder: 1,
    createdAt: '2025-05-01T08:00:00.000Z',
    updatedAt: '2025-05-01T08:00:00.000Z',
    postCount: 1,
    children: [],
  },
];

export const listEnvelope = (posts: MyPostSummary[], pagination: Partial<Schema<'PaginationMetaDto'>> = {}) => ({
  ...envelope(posts),
  meta: {
    requestId: 'req-mine',
    timestamp: '2025-06-01T12:00:00.000Z',
    pagination: {
      page: 1,
      perPage: 20,
      totalItems: posts.length,
      totalPages: 1,
      hasNext: false,
      hasPrev: false,
      ...pagination,
    },
  },
});

export const revisionSummaries: RevisionSummary[] = [
  {
    id: '0193c5a2-3000-7000-8000-000000000002',
    title: 'Tides of the North Sea',
    createdAt: '2025-06-14T10:00:00.000Z',
    editor: { id: author.id, username: 'ada' },
  },
  {
    id: '0193c5a2-3000-7000-8000-000000000001',
    title: 'Tides',
    createdAt: '2025-06-14T09:00:00.000Z',
    editor: { id: author.id, username: 'ada' },
  },
];

export const oldRevision: Revision = {
  ...revisionSummaries[1],
  body: '## High water\n\nThe harbour fills.',
  diff: [
    { op: 'equal', text: '## High water\n\n' },
    { op: 'removed', text: 'The harbour fills.\n' },
    { op: 'added', text: 'Twice a day the harbour fills.\n' },
  ],
};
