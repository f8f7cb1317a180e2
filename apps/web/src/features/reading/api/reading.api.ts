import type { CursorMeta, PaginationMeta, Schema } from '@atrium/api-client';
import { ErrorCode } from '@atrium/contracts';

import { apiClient, callApi, toApiError, unwrap } from '../../../lib/api';

/** A post as lists show it (no body); `match` only in search results. */
export type PostSummary = Schema<'PostSummaryDto'>;
/** A post with its rendered (sanitized) HTML. */
export type Post = Schema<'PostDto'>;
/** How a search result matched: `by` words (ranked) or a `similar` title, and the snippet. */
export type SearchMatch = Schema<'SearchMatchDto'>;
/** A category with the categories below it, in order. */
export type CategoryNode = Schema<'CategoryNodeDto'>;
/** A tag, with how many posts carry it. */
export type Tag = Schema<'TagDto'>;

/** What the feed is narrowed to (the query of `/posts`, as the API takes it). */
export interface FeedFilter {
  /** A category's slug: its posts and those of the categories below it. */
  category?: string;
  /** A tag's slug. */
  tag?: string;
  /** Highest reading level (Flesch–Kincaid grade). */
  readingLevel?: number;
  /** An author's username: their posts only. */
  author?: string;
  /** Only the posts editors featured. */
  featured?: boolean;
}

/** One page of a list with what the envelope's `meta` says about the next one. */
export interface CursorPage {
  posts: PostSummary[];
  cursor: CursorMeta;
}

export interface SearchPage {
  posts: PostSummary[];
  pagination: PaginationMeta;
}

/** Same as `unwrap`, keeping the envelope's `meta` (the lists' paging). */
async function unwrapList<M>(
  call: Promise<{ data?: { data: PostSummary[]; meta: M }; error?: unknown; response: Response }>,
): Promise<{ data: PostSummary[]; meta: M }> {
  const { data, error, response } = await callApi(() => call);
  if (data) return data;
  throw toApiError(error, response);
}

/** One page of the feed, newest first, in keyset (cursor) mode: `cursor` is the previous page's `meta.cursor.next`. */
export async function fetchFeedPage(
  filter: FeedFilter,
  { cursor, limit }: { cursor?: string; limit: number },
  signal?: AbortSignal,
): Promise<CursorPage> {
  const { data, meta } = await unwrapList(
    apiClient.GET('/api/v1/posts', { params: { query: { ...filter, limit, cursor } }, signal }),
  );
  return { posts: data, cursor: meta.cursor ?? { next: null, hasNext: false } };
}

/** One page of search results, by relevance (the API pages a search by offset only). */
export async function fetchSearchPage(
  filter: FeedFilter & { q: string },
  { page, perPage }: { page: number; perPage: number },
  signal?: AbortSignal,
): Promise<SearchPage> {
  const { data, meta } = await unwrapList(
    apiClient.GET('/api/v1/posts', { params: { query: { ...filter, page, perPage } }, signal }),
  );
  return {
    posts: data,
    pagination: meta.pagination ?? {
      page,
      perPage,
      totalItems: data.length,
      totalPages: 1,
      hasNext: false,
      hasPrev: page > 1,
    },
  };
}

/**
 * A post by its slug (or id). An old slug answers 301 with the post's current address: `fetch`
 * follows it, so the post comes back with its slug of now (the page moves to it).
 */
export function fetchPost(slug: string, signal?: AbortSignal): Promise<Post> {
  return unwrap(apiClient.GET('/api/v1/posts/{id}', { params: { path: { id: slug } }, signal }));
}

/** The whole category tree (public), with the published posts under each. */
export function fetchCategories(signal?: AbortSignal): Promise<CategoryNode[]> {
  return unwrap(apiClient.GET('/api/v1/categories', { signal }));
}

/** Tags, most used first (`q`: those whose name or slug starts with it). */
export async function fetchTags({ q, perPage }: { q?: string; perPage: number }, signal?: AbortSignal): Promise<Tag[]> {
  const { data, error, response } = await callApi(() =>
    apiClient.GET('/api/v1/tags', { params: { query: { sort: 'popular', perPage, ...(q ? { q } : {}) } }, signal }),
  );
  if (data) return data.data;
  throw toApiError(error, response);
}

/** The tag at `slug` (`GET /tags/{id}` takes a slug), or `null` when none has it (404). */
export async function fetchTagBySlug(slug: string, signal?: AbortSignal): Promise<Tag | null> {
  const { data, error, response } = await callApi(() =>
    apiClient.GET('/api/v1/tags/{id}', { params: { path: { id: slug } }, signal }),
  );
  if (data) return data.data;
  const failure = toApiError(error, response);
  if (failure.code === ErrorCode.NOT_FOUND) return null;
  throw failure;
}
