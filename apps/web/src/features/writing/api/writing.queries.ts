import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { useAuth } from '../../auth';
import {
  fetchAccessibility,
  fetchCategories,
  fetchMyPosts,
  fetchRevision,
  fetchRevisions,
  fetchTags,
  fetchVersioned,
  type PostStatus,
  previewPost,
} from './writing.api';

/** Posts per page of "My posts". */
export const MY_POSTS_PAGE_SIZE = 20;

/** Every key holds the signed-in user's id: one account's drafts never show to the next one. */
export const writingKeys = {
  all: ['writing'] as const,
  mine: (user: string, status: PostStatus | undefined, page: number) =>
    [...writingKeys.all, user, 'mine', status ?? 'all', page] as const,
  minePrefix: (user: string) => [...writingKeys.all, user, 'mine'] as const,
  post: (user: string, id: string) => [...writingKeys.all, user, 'post', id] as const,
  accessibility: (user: string, id: string, version: number) =>
    [...writingKeys.all, user, 'accessibility', id, version] as const,
  revisions: (user: string, id: string) => [...writingKeys.all, user, 'revisions', id] as const,
  revision: (user: string, id: string, revisionId: string) =>
    [...writingKeys.all, user, 'revision', id, revisionId] as const,
  preview: (user: string, body: string) => [...writingKeys.all, user, 'preview', body] as const,
  tags: () => [...writingKeys.all, 'tags'] as const,
  categories: () => [...writingKeys.all, 'categories'] as const,
};

/** The signed-in user's id (these pages sit behind RequireAuth: always known there). */
export function useUserId(): string {
  return useAuth().user?.id ?? '';
}

export function useMyPosts(status: PostStatus | undefined, page: number) {
  const user = useUserId();
  return useQuery({
    queryKey: writingKeys.mine(user, status, page),
    queryFn: ({ signal }) => fetchMyPosts({ status, page, perPage: MY_POSTS_PAGE_SIZE }, signal),
    placeholderData: keepPreviousData,
  });
}

export const versionedQueryOptions = (user: string, id: string) =>
  queryOptions({
    queryKey: writingKeys.post(user, id),
    queryFn: ({ signal }) => fetchVersioned(id, signal),
    // Read afresh whenever an editor opens (its ETag must be the post's of now); an open editor
    // holds its own copy, so nothing is read again behind the writer's back.
    staleTime: 0,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });

/** A post to edit, with its ETag. */
export function useVersionedPost(id: string | undefined) {
  const user = useUserId();
  return useQuery({ ...versionedQueryOptions(user, id ?? ''), enabled: Boolean(id) });
}

/** The accessibility report of a saved version of the post (a new save asks again). */
export function useAccessibilityReport(id: string | undefined, version: number | undefined) {
  const user = useUserId();
  return useQuery({
    queryKey: writingKeys.accessibility(user, id ?? '', version ?? 0),
    queryFn: ({ signal }) => fetchAccessibility(id ?? '', signal),
    enabled: Boolean(id) && version !== undefined,
    staleTime: Infinity,
  });
}

/** How long after the last keystroke the preview asks the server to render the text. */
export const PREVIEW_DELAY_MS = 400;

/**
 * How long after the last keystroke the accessibility check asks (the same request as the preview,
 * shared when both settle on the same text): as autosave waits, so a writer pausing every few words
 * spends at most one check and one save of the rate limit per pause of three seconds.
 */
export const CHECK_DELAY_MS = 3000;

/**
 * The server's rendering of the text on screen (not of the last save), asked `PREVIEW_DELAY_MS`
 * after the text stops changing. The previous rendering stays on screen meanwhile; `updating`
 * says that a newer one is on its way.
 */
export function useLivePreview(body: string, delayMs = PREVIEW_DELAY_MS) {
  const user = useUserId();
  const [settled] = useDebouncedValue(body, delayMs);
  const query = useQuery({
    queryKey: writingKeys.preview(user, settled),
    queryFn: ({ signal }) => previewPost({ body: settled }, signal),
    enabled: settled.trim() !== '',
    placeholderData: keepPreviousData,
    // The same text renders the same until an image's alt text or caption changes in the library.
    staleTime: 30_000,
    retry: false,
  });
  return { ...query, updating: body.trim() !== '' && (settled !== body || query.isFetching) };
}

export function useTags() {
  return useQuery({ queryKey: writingKeys.tags(), queryFn: ({ signal }) => fetchTags(signal), staleTime: 60_000 });
}

export function useRevisions(id: string) {
  const user = useUserId();
  return useQuery({
    queryKey: writingKeys.revisions(user, id),
    queryFn: ({ signal }) => fetchRevisions(id, signal),
  });
}

export function useRevision(id: string, revisionId: string | undefined) {
  const user = useUserId();
  return useQuery({
    queryKey: writingKeys.revision(user, id, revisionId ?? ''),
    queryFn: ({ signal }) => fetchRevision(id, revisionId ?? '', signal),
    enabled: Boolean(revisionId),
  });
}

/** The category tree to file a post under. */
export function useCategories() {
  return useQuery({
    queryKey: writingKeys.categories(),
    queryFn: ({ signal }) => fetchCategories(signal),
    staleTime: 60_000,
  });
}
