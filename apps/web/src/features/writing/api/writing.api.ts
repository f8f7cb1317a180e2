import type { PaginationMeta, Schema } from '@atrium/api-client';

import { apiClient, callApi, toApiError, unwrap } from '../../../lib/api';

/** A post as the author's list shows it (no body). */
export type MyPostSummary = Schema<'PostSummaryDto'>;
/** A post with its Markdown, its rendered (sanitized) HTML and its version. */
export type EditablePost = Schema<'PostDto'>;
export type PostStatus = EditablePost['status'];
export type PostVisibility = EditablePost['visibility'];
export type NewPost = Schema<'CreatePostDto'>;
export type PostChanges = Schema<'UpdatePostDto'>;
export type Tag = Schema<'TagDto'>;
export type AccessibilityReport = Schema<'AccessibilityReportDto'>;
export type AccessibilityProblem = Schema<'AccessibilityProblemDto'>;
/** A body as a save would render it (HTML, reading time and level, accessibility report), nothing saved. */
export type PostPreview = Schema<'PostPreviewDto'>;
export type PreviewRequest = Schema<'PreviewPostDto'>;
export type RevisionSummary = Schema<'PostRevisionSummaryDto'>;
export type Revision = Schema<'PostRevisionDto'>;
export type DiffPart = Schema<'DiffPartDto'>;
export type CategoryNode = Schema<'CategoryNodeDto'>;

/** A post as the editor holds it: the post and the `ETag` to send back as `If-Match`. */
export interface Versioned {
  post: EditablePost;
  /** `undefined` only if the server sent none (then the last write wins). */
  etag: string | undefined;
}

export interface MyPostsPage {
  posts: MyPostSummary[];
  pagination: PaginationMeta;
}

/** One page of the signed-in user's own posts, any status (or one), most recently changed first. */
export async function fetchMyPosts(
  { status, page, perPage }: { status?: PostStatus; page: number; perPage: number },
  signal?: AbortSignal,
): Promise<MyPostsPage> {
  const { data, error, response } = await callApi(() =>
    apiClient.GET('/api/v1/me/posts', { params: { query: { status, page, perPage, sort: '-updatedAt' } }, signal }),
  );
  if (!data) throw toApiError(error, response);
  return {
    posts: data.data,
    pagination: data.meta.pagination ?? {
      page,
      perPage,
      totalItems: data.data.length,
      totalPages: 1,
      hasNext: false,
      hasPrev: page > 1,
    },
  };
}

/** A post by id, with its `ETag` (what a later edit sends back as `If-Match`). */
export async function fetchVersioned(id: string, signal?: AbortSignal): Promise<Versioned> {
  const { data, error, response } = await callApi(() =>
    apiClient.GET('/api/v1/posts/{id}', { params: { path: { id } }, signal, cache: 'no-store' }),
  );
  if (!data) throw toApiError(error, response);
  return { post: data.data, etag: response.headers.get('etag') ?? undefined };
}

/** A tag no post has: the next edit with it meets 412 (the conflict screen) rather than overwriting. */
const OUTDATED_ETAG = 'W/"outdated"';

/**
 * The `ETag` of what a write answered. Only `GET /posts/:id` sends one, so it is read right after
 * the write. If someone else saved in between (its version is not the one written), the tag of
 * what was read belongs to their text, not ours: an outdated tag is kept instead, so the next save
 * meets 412 and the conflict is shown rather than their text being overwritten unseen.
 */
async function versionedAfterWrite(post: EditablePost): Promise<Versioned> {
  try {
    const read = await fetchVersioned(post.id);
    if (read.post.version === post.version) return read;
  } catch {
    // The write happened; the next save meets the conflict screen at worst.
  }
  return { post, etag: OUTDATED_ETAG };
}

export async function createPost(input: NewPost): Promise<Versioned> {
  const post = await unwrap(apiClient.POST('/api/v1/posts', { body: input }));
  return versionedAfterWrite(post);
}

/** Saves changes; `etag` as `If-Match` (412 `PRECONDITION_FAILED` when the post changed since). */
export async function updatePost(id: string, changes: PostChanges, etag: string | undefined): Promise<Versioned> {
  const post = await unwrap(
    apiClient.PATCH('/api/v1/posts/{id}', {
      params: { path: { id }, header: { 'If-Match': etag ?? '*' } },
      body: changes,
    }),
  );
  return versionedAfterWrite(post);
}

export async function publishPost(id: string): Promise<Versioned> {
  const post = await unwrap(apiClient.POST('/api/v1/posts/{id}/publish', { params: { path: { id } } }));
  return versionedAfterWrite(post);
}

/** Schedules publication at `at` (an ISO date-time with its offset). */
export async function schedulePost(id: string, at: string): Promise<Versioned> {
  const post = await unwrap(apiClient.POST('/api/v1/posts/{id}/schedule', { params: { path: { id } }, body: { at } }));
  return versionedAfterWrite(post);
}

export async function unpublishPost(id: string): Promise<Versioned> {
  const post = await unwrap(apiClient.POST('/api/v1/posts/{id}/unpublish', { params: { path: { id } } }));
  return versionedAfterWrite(post);
}

export async function archivePost(id: string): Promise<Versioned> {
  const post = await unwrap(apiClient.POST('/api/v1/posts/{id}/archive', { params: { path: { id } } }));
  return versionedAfterWrite(post);
}

export async function deletePost(id: string): Promise<void> {
  await unwrap(apiClient.DELETE('/api/v1/posts/{id}', { params: { path: { id } } }));
}

export function fetchAccessibility(id: string, signal?: AbortSignal): Promise<AccessibilityReport> {
  return unwrap(apiClient.GET('/api/v1/posts/{id}/accessibility', { params: { path: { id } }, signal }));
}

/** Renders a body as saving it would (the caller's links, the library's images), without saving it. */
export function previewPost(input: PreviewRequest, signal?: AbortSignal): Promise<PostPreview> {
  return unwrap(apiClient.POST('/api/v1/posts/preview', { body: input, signal }));
}

/** Every tag, by name (a post takes at most 10; the API pages tags by 100 at most). */
export async function fetchTags(signal?: AbortSignal): Promise<Tag[]> {
  const tags: Tag[] = [];
  for (let page = 1; page <= 10; page++) {
    const { data, error, response } = await callApi(() =>
      apiClient.GET('/api/v1/tags', { params: { query: { sort: 'name', perPage: 100, page } }, signal }),
    );
    if (!data) throw toApiError(error, response);
    tags.push(...data.data);
    if (!data.meta.pagination.hasNext) break;
  }
  return tags;
}

export function fetchRevisions(id: string, signal?: AbortSignal): Promise<RevisionSummary[]> {
  return unwrap(apiClient.GET('/api/v1/posts/{id}/revisions', { params: { path: { id } }, signal }));
}

export function fetchRevision(id: string, revisionId: string, signal?: AbortSignal): Promise<Revision> {
  return unwrap(
    apiClient.GET('/api/v1/posts/{id}/revisions/{revisionId}', { params: { path: { id, revisionId } }, signal }),
  );
}

/** Brings a revision's title and body back as a new save (`If-Match` as for edits). */
export async function restoreRevision(id: string, revisionId: string, etag: string | undefined): Promise<Versioned> {
  const post = await unwrap(
    apiClient.POST('/api/v1/posts/{id}/revisions/{revisionId}/restore', {
      params: { path: { id, revisionId }, header: { 'If-Match': etag ?? '*' } },
    }),
  );
  return versionedAfterWrite(post);
}

/** The whole category tree (public), siblings in order. */
export function fetchCategories(signal?: AbortSignal): Promise<CategoryNode[]> {
  return unwrap(apiClient.GET('/api/v1/categories', { signal }));
}
