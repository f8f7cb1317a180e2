import {
  infiniteQueryOptions,
  keepPreviousData,
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';

import { useAuth } from '../../auth';
import {
  createComment,
  deleteComment,
  fetchQueue,
  fetchThreads,
  type ModerationAction,
  moderateComment,
  moderateComments,
  updateComment,
} from './comments.api';

/** Threads (top-level comments, with their replies) per page and per "Load more threads". */
export const THREADS_PAGE_SIZE = 20;
/** Comments per page of the moderation queue. */
export const QUEUE_PAGE_SIZE = 20;

/** Who is reading decides what the API answers (their own pending comments): `null` for visitors. */
type Viewer = string | null;

export const commentKeys = {
  all: ['comments'] as const,
  threadsOf: (postId: string) => [...commentKeys.all, 'threads', postId] as const,
  threads: (postId: string, viewer: Viewer) => [...commentKeys.threadsOf(postId), viewer] as const,
  queue: () => [...commentKeys.all, 'queue'] as const,
  queuePage: (page: number) => [...commentKeys.queue(), page] as const,
};

/** The signed-in user's id, `null` for a visitor, `undefined` while a session is being restored (wait). */
export function useViewer(): Viewer | undefined {
  const { status, user } = useAuth();
  if (status === 'restoring') return undefined;
  return user?.id ?? null;
}

export const threadsQueryOptions = (postId: string, viewer: Viewer) =>
  infiniteQueryOptions({
    queryKey: commentKeys.threads(postId, viewer),
    queryFn: ({ pageParam, signal }) => fetchThreads(postId, { cursor: pageParam, limit: THREADS_PAGE_SIZE }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.cursor.hasNext && last.cursor.next ? last.cursor.next : undefined),
    staleTime: 30_000,
  });

/** A post's threads, oldest first, page after page ("Load more threads"). Waits while a session is being restored. */
export function useThreads(postId: string) {
  const viewer = useViewer();
  return useInfiniteQuery({ ...threadsQueryOptions(postId, viewer ?? null), enabled: viewer !== undefined });
}

/**
 * The reading pages' queries of a post (`readingKeys.post`): its `commentCount` changes with the
 * comments. Named by key, not imported: features reach each other through their public index only.
 */
const READING_POSTS = ['reading', 'post'] as const;

/**
 * Every write refreshes the post's threads (a new comment's place and status are the API's to
 * say) and the post itself (its count of approved comments).
 */
function useRefreshThreads(postId: string) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: commentKeys.threadsOf(postId) }),
      queryClient.invalidateQueries({ queryKey: READING_POSTS }),
    ]);
}

export function useCreateComment(postId: string) {
  const refresh = useRefreshThreads(postId);
  return useMutation({
    mutationFn: ({ body, parentId }: { body: string; parentId?: string }) => createComment(postId, body, parentId),
    onSuccess: refresh,
  });
}

export function useUpdateComment(postId: string) {
  const refresh = useRefreshThreads(postId);
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: string }) => updateComment(id, body),
    onSuccess: refresh,
  });
}

export function useDeleteComment(postId: string) {
  const refresh = useRefreshThreads(postId);
  return useMutation({ mutationFn: deleteComment, onSettled: refresh });
}

export const queueQueryOptions = (page: number) =>
  queryOptions({
    queryKey: commentKeys.queuePage(page),
    queryFn: ({ signal }) => fetchQueue({ page, perPage: QUEUE_PAGE_SIZE }, signal),
  });

/** One page of the comments waiting for a moderator; the page on screen stays while the next loads. */
export const useQueue = (page: number) => useQuery({ ...queueQueryOptions(page), placeholderData: keepPreviousData });

/** After moderation the queue, every post's threads and their counts are out of date. */
function useRefreshAll() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: commentKeys.all }),
      queryClient.invalidateQueries({ queryKey: READING_POSTS }),
    ]);
}

export function useModerateComment() {
  const refresh = useRefreshAll();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'approve' | 'reject' }) => moderateComment(id, action),
    onSettled: refresh,
  });
}

export function useModerateComments() {
  const refresh = useRefreshAll();
  return useMutation({
    mutationFn: ({ ids, action }: { ids: string[]; action: ModerationAction }) => moderateComments(ids, action),
    onSettled: refresh,
  });
}
