import { ada } from '../../test/api-fixtures';
import type { Comment, CommentNode, QueuedComment } from './api/comments.api';
import type { CommentedPost } from './components/CommentsSection';

/** The post the comments are on (what the section needs of it), with its title and slug for the queue. */
export const tidesPost = {
  id: '0193c5a2-7000-7000-8000-000000000001',
  commentsOpen: true,
  commentCount: 0,
  title: 'Tides of the North Sea',
  slug: 'tides-of-the-north-sea',
} satisfies CommentedPost & { title: string; slug: string };

/** Comments shaped exactly like the API's (typed from the generated client), on `tidesPost`. */
export const commentId = (n: number) => `0193c5a2-c000-7000-8000-${String(n).padStart(12, '0')}`;

export const grace = { id: '0193c5a2-9000-7c31-9a55-000000000002', username: 'grace', avatarUrl: null };
export const lin = { id: '0193c5a2-9000-7c31-9a55-000000000003', username: 'lin', avatarUrl: null };
export const adaAuthor = { id: ada.id, username: ada.username, avatarUrl: null };

export function commentNode(n: number, overrides: Partial<CommentNode> = {}): CommentNode {
  const node: CommentNode = {
    id: commentId(n),
    postId: tidesPost.id,
    parentId: null,
    depth: 0,
    status: 'approved',
    deleted: false,
    body: `Comment number ${n}.`,
    html: `<p>Comment number ${n}.</p>`,
    author: grace,
    createdAt: '2025-06-15T10:00:00.000Z',
    editedAt: null,
    editableUntil: '',
    replies: [],
    ...overrides,
  };
  // As the API sets it: COMMENT_EDIT_WINDOW_MINUTES (15 by default) after it was written.
  return {
    ...node,
    editableUntil: overrides.editableUntil ?? new Date(Date.parse(node.createdAt) + 15 * 60_000).toISOString(),
  };
}

/** A comment as a write answers it (no replies). */
export function writtenComment(node: CommentNode): Comment {
  const { replies: _replies, ...comment } = node;
  return comment;
}

export function queuedComment(n: number, overrides: Partial<QueuedComment> = {}): QueuedComment {
  return {
    ...writtenComment(commentNode(n, { status: 'pending' })),
    postTitle: tidesPost.title,
    postSlug: tidesPost.slug,
    ...overrides,
  };
}

/** One page of threads in the envelope, with the cursor's `meta`. */
export const threadsEnvelope = (threads: CommentNode[], next: string | null = null) => ({
  status: 'success' as const,
  data: threads,
  meta: {
    requestId: 'req-comments-1',
    timestamp: '2025-06-15T12:00:00.000Z',
    cursor: { next, hasNext: next !== null },
  },
});

/** A page of the moderation queue in the envelope. */
export const queueEnvelope = (comments: QueuedComment[], totalItems = comments.length, page = 1, perPage = 20) => ({
  status: 'success' as const,
  data: comments,
  meta: {
    requestId: 'req-queue-1',
    timestamp: '2025-06-15T12:00:00.000Z',
    pagination: {
      page,
      perPage,
      totalItems,
      totalPages: Math.max(1, Math.ceil(totalItems / perPage)),
      hasNext: page * perPage < totalItems,
      hasPrev: page > 1,
    },
  },
});
