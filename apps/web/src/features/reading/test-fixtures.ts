import type { CategoryNode, Post, PostSummary } from './api/reading.api';

/**
 * Posts and categories shaped exactly like the API's (typed from the generated client). A post's
 * fields are checked against the client's type; `commentsOpen` (comments are being added to the
 * API as this is written) is set here without being required of the type, so the fixture
 * typechecks with the client before and after it.
 */
export function summary(n: number, overrides: Partial<PostSummary> = {}): PostSummary {
  // A variable, not a literal: no excess-property check on `commentsOpen` against a client without it.
  const post = { commentsOpen: true, ...summaryFields(n), ...overrides };
  return post;
}

const summaryFields = (n: number) =>
  ({
    id: `0193c5a2-7000-7000-8000-${String(n).padStart(12, '0')}`,
    title: `Post number ${n}`,
    slug: `post-number-${n}`,
    excerpt: `The excerpt of post ${n}.`,
    status: 'published',
    visibility: 'public',
    featured: false,
    publishedAt: '2025-06-14T09:30:00.000Z',
    scheduledAt: null,
    readingTimeMinutes: 4,
    readingLevel: 7.2,
    viewCount: 0,
    commentCount: 0,
    author: {
      id: '0193c5a2-9000-7c31-9a55-3f4b2d1e6a71',
      username: 'ada',
      firstName: 'Ada',
      lastName: 'Lovelace',
      avatarUrl: null,
    },
    category: null,
    tags: [],
    createdAt: '2025-06-14T09:00:00.000Z',
    updatedAt: '2025-06-14T09:30:00.000Z',
  }) satisfies Omit<PostSummary, 'commentsOpen'>;

export const tidesPost: Post = {
  ...summary(1, {
    title: 'Tides of the North Sea',
    slug: 'tides-of-the-north-sea',
    excerpt: 'Twice a day the harbour fills.',
    category: { id: '0193c5a2-1000-7000-8000-000000000001', name: 'Harbours', slug: 'harbours' },
    tags: [
      { id: '0193c5a2-2000-7000-8000-000000000001', name: 'Coast', slug: 'coast', color: '#1c7ed6' },
      { id: '0193c5a2-2000-7000-8000-000000000002', name: 'Sea life', slug: 'sea-life', color: null },
    ],
  }),
  body: '## High water\n\nTwice a day the harbour fills.',
  html: '<h2>High water</h2>\n<p>Twice a day the <strong>harbour</strong> fills.</p>\n',
  version: 3,
};

const node = (
  n: number,
  name: string,
  slug: string,
  postCount: number,
  children: CategoryNode[] = [],
): CategoryNode => ({
  id: `0193c5a2-1000-7000-8000-${String(n).padStart(12, '0')}`,
  name,
  slug,
  description: '',
  parentId: null,
  sortOrder: n,
  createdAt: '2025-05-01T08:00:00.000Z',
  updatedAt: '2025-05-01T08:00:00.000Z',
  postCount,
  children,
});

/** Coast, with Harbours below it and Lighthouses below that; Cooking beside it. */
export const categoryTree: CategoryNode[] = [
  node(1, 'Coast', 'coast', 5, [node(2, 'Harbours', 'harbours', 3, [node(3, 'Lighthouses', 'lighthouses', 1)])]),
  node(4, 'Cooking', 'cooking', 2),
];
