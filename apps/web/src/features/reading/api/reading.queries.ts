import {
  infiniteQueryOptions,
  keepPreviousData,
  queryOptions,
  useInfiniteQuery,
  useQuery,
} from '@tanstack/react-query';

import { useAuth } from '../../auth';
import {
  type FeedFilter,
  fetchCategories,
  fetchFeedPage,
  fetchPost,
  fetchSearchPage,
  fetchTagBySlug,
  fetchTags,
} from './reading.api';

/** Posts in a page of the feed, and per "Load more". */
export const FEED_PAGE_SIZE = 10;
/** Featured posts shown above the feed. */
export const FEATURED_COUNT = 3;
/** Tags listed to browse. */
export const TAGS_LISTED = 60;
/** Search results per page. */
export const SEARCH_PAGE_SIZE = 10;

/**
 * Who is reading decides what the API answers (members-only posts need a signed-in caller), so
 * every key holds the viewer: `null` for anonymous visitors, the user's id otherwise.
 */
type Viewer = string | null;

export const readingKeys = {
  all: ['reading'] as const,
  feed: (viewer: Viewer, filter: FeedFilter) => [...readingKeys.all, 'feed', viewer, filter] as const,
  search: (viewer: Viewer, filter: FeedFilter & { q: string }, page: number) =>
    [...readingKeys.all, 'search', viewer, filter, page] as const,
  post: (viewer: Viewer, slug: string) => [...readingKeys.all, 'post', viewer, slug] as const,
  categories: () => [...readingKeys.all, 'categories'] as const,
  featured: (viewer: Viewer) => [...readingKeys.all, 'featured', viewer] as const,
  tags: () => [...readingKeys.all, 'tags'] as const,
  tag: (slug: string) => [...readingKeys.all, 'tag', slug] as const,
};

/** The signed-in user's id, `null` for a visitor, `undefined` while a session is being restored (wait). */
function useViewer(): Viewer | undefined {
  const { status, user } = useAuth();
  if (status === 'restoring') return undefined;
  return user?.id ?? null;
}

export const feedQueryOptions = (viewer: Viewer, filter: FeedFilter) =>
  infiniteQueryOptions({
    queryKey: readingKeys.feed(viewer, filter),
    queryFn: ({ pageParam, signal }) => fetchFeedPage(filter, { cursor: pageParam, limit: FEED_PAGE_SIZE }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.cursor.hasNext && last.cursor.next ? last.cursor.next : undefined),
    staleTime: 30_000,
  });

/** The feed, newest first, page after page ("Load more"). Waits while a session is being restored. */
export function useFeed(filter: FeedFilter) {
  const viewer = useViewer();
  return useInfiniteQuery({ ...feedQueryOptions(viewer ?? null, filter), enabled: viewer !== undefined });
}

/** One page of search results; the previous page stays on screen while the next one loads. */
export function useSearch(filter: FeedFilter & { q: string }, page: number) {
  const viewer = useViewer();
  return useQuery({
    queryKey: readingKeys.search(viewer ?? null, filter, page),
    queryFn: ({ signal }) => fetchSearchPage(filter, { page, perPage: SEARCH_PAGE_SIZE }, signal),
    enabled: viewer !== undefined,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

export const postQueryOptions = (viewer: Viewer, slug: string) =>
  queryOptions({
    queryKey: readingKeys.post(viewer, slug),
    queryFn: ({ signal }) => fetchPost(slug, signal),
    staleTime: 30_000,
  });

/** A post by slug, as the viewer may read it (a members-only post is 401 to a visitor). */
export function usePost(slug: string) {
  const viewer = useViewer();
  return { viewer, query: useQuery({ ...postQueryOptions(viewer ?? null, slug), enabled: viewer !== undefined }) };
}

/** The category tree: changes rarely, read once a few minutes. */
export const useCategories = () =>
  useQuery({
    queryKey: readingKeys.categories(),
    queryFn: ({ signal }) => fetchCategories(signal),
    staleTime: 5 * 60_000,
  });

/** The newest featured posts (a few, above the feed). */
export function useFeatured() {
  const viewer = useViewer();
  return useQuery({
    queryKey: readingKeys.featured(viewer ?? null),
    queryFn: ({ signal }) => fetchFeedPage({ featured: true }, { limit: FEATURED_COUNT }, signal),
    enabled: viewer !== undefined,
    staleTime: 60_000,
  });
}

/** The most used tags, to browse. */
export const useTags = () =>
  useQuery({
    queryKey: readingKeys.tags(),
    queryFn: ({ signal }) => fetchTags({ perPage: TAGS_LISTED }, signal),
    staleTime: 5 * 60_000,
  });

/** The tag at `slug` (`null`: no tag has it). */
export const useTag = (slug: string) =>
  useQuery({
    queryKey: readingKeys.tag(slug),
    queryFn: ({ signal }) => fetchTagBySlug(slug, signal),
    staleTime: 5 * 60_000,
  });
