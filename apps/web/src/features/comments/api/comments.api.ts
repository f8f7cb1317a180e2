import type { CursorMeta, PaginationMeta, Schema } from '@atrium/api-client';

import { apiClient, callApi, toApiError, unwrap } from '../../../lib/api';

/** A comment in a post's threads, with its replies nested (oldest first). */
export type CommentNode = Schema<'CommentNodeDto'>;
/** A comment as a write answers it (no replies). */
export type Comment = Schema<'CommentDto'>;
/** A comment in the moderation queue, with the post it is on. */
export type QueuedComment = Schema<'CommentInQueueDto'>;
/** What bulk moderation does: approve, reject or delete. */
export type ModerationAction = Schema<'ModerateCommentsDto'>['action'];
export type ModerationResult = Schema<'ModerationResultDto'>;
export type CommentStatus = Comment['status'];

/** One page of a post's threads (top-level comments with their replies). */
export interface ThreadsPage {
  threads: CommentNode[];
  cursor: CursorMeta;
}

export interface QueuePage {
  comments: QueuedComment[];
  pagination: PaginationMeta;
}

/** Same as `unwrap`, keeping the envelope's `meta` (the lists' paging). */
async function unwrapList<T, M>(
  call: Promise<{ data?: { data: T[]; meta: M }; error?: unknown; response: Response }>,
): Promise<{ data: T[]; meta: M }> {
  const { data, error, response } = await callApi(() => call);
  if (data) return data;
  throw toApiError(error, response);
}

/** A page of a post's threads, oldest first; `cursor` is the previous page's `meta.cursor.next`. */
export async function fetchThreads(
  postId: string,
  { cursor, limit }: { cursor?: string; limit: number },
  signal?: AbortSignal,
): Promise<ThreadsPage> {
  const { data, meta } = await unwrapList(
    apiClient.GET('/api/v1/posts/{id}/comments', {
      params: { path: { id: postId }, query: { limit, cursor } },
      signal,
    }),
  );
  return { threads: data, cursor: meta.cursor ?? { next: null, hasNext: false } };
}

/** A comment on the post (`postId`: its uuid), or a reply to the comment `parentId`. */
export function createComment(postId: string, body: string, parentId?: string): Promise<Comment> {
  return unwrap(
    apiClient.POST('/api/v1/posts/{id}/comments', {
      params: { path: { id: postId } },
      body: parentId ? { body, parentId } : { body },
    }),
  );
}

/** A new text for one's own comment (within the edit window; moderators: any, any time). */
export function updateComment(id: string, body: string): Promise<Comment> {
  return unwrap(apiClient.PATCH('/api/v1/comments/{id}', { params: { path: { id } }, body: { body } }));
}

/** Deletes a comment; its replies stay (it shows as deleted among them). */
export async function deleteComment(id: string): Promise<void> {
  const { error, response } = await callApi(() =>
    apiClient.DELETE('/api/v1/comments/{id}', { params: { path: { id } } }),
  );
  if (!response.ok) throw toApiError(error, response);
}

/** A page of the moderation queue: comments waiting for a moderator, oldest first. */
export async function fetchQueue(
  { page, perPage }: { page: number; perPage: number },
  signal?: AbortSignal,
): Promise<QueuePage> {
  const { data, meta } = await unwrapList(
    apiClient.GET('/api/v1/comments', { params: { query: { status: 'pending', page, perPage } }, signal }),
  );
  return { comments: data, pagination: meta.pagination };
}

/** Approves or rejects one comment. */
export function moderateComment(id: string, action: 'approve' | 'reject'): Promise<Comment> {
  return action === 'approve'
    ? unwrap(apiClient.POST('/api/v1/comments/{id}/approve', { params: { path: { id } } }))
    : unwrap(apiClient.POST('/api/v1/comments/{id}/reject', { params: { path: { id } } }));
}

/** Approves, rejects or deletes up to 100 comments in one go. */
export function moderateComments(ids: string[], action: ModerationAction): Promise<ModerationResult> {
  return unwrap(apiClient.POST('/api/v1/comments/moderate', { body: { ids, action } }));
}
