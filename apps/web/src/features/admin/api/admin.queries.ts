import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';

import {
  type AuditQuery,
  createCategory,
  createRole,
  createTag,
  createUser,
  deleteCategory,
  deleteJob,
  deleteRole,
  deleteTag,
  deleteUser,
  fetchAuditEvents,
  fetchCatalogue,
  fetchCategoryTree,
  fetchJobs,
  fetchQueues,
  fetchRoles,
  fetchStats,
  fetchTags,
  fetchUser,
  fetchUsers,
  type JobState,
  mergeTag,
  type QueueName,
  restoreUser,
  retryJob,
  setRolePermissions,
  setUserRoles,
  type TagsQuery,
  updateCategory,
  updateRole,
  updateTag,
  updateUser,
  type UsersQuery,
} from './admin.api';

export const adminKeys = {
  all: ['admin'] as const,
  stats: () => [...adminKeys.all, 'stats'] as const,
  users: () => [...adminKeys.all, 'users'] as const,
  userList: (query: UsersQuery) => [...adminKeys.users(), query] as const,
  user: (id: string) => [...adminKeys.users(), 'one', id] as const,
  roles: () => [...adminKeys.all, 'roles'] as const,
  catalogue: () => [...adminKeys.all, 'catalogue'] as const,
  audit: (query: AuditQuery) => [...adminKeys.all, 'audit', query] as const,
  queues: () => [...adminKeys.all, 'queues'] as const,
  jobs: (name: QueueName, state: JobState, page: number) => [...adminKeys.queues(), name, state, page] as const,
  categories: () => [...adminKeys.all, 'categories'] as const,
  tags: () => [...adminKeys.all, 'tags'] as const,
  tagList: (query: TagsQuery) => [...adminKeys.tags(), query] as const,
};

/** Rows per page of the admin tables. */
export const ADMIN_PAGE_SIZE = 20;

export const useStats = () =>
  useQuery({ queryKey: adminKeys.stats(), queryFn: ({ signal }) => fetchStats(signal), staleTime: 30_000 });

// Users ------------------------------------------------------------------------------------------

/** One page of users; the previous page stays on screen while the next one loads. */
export const useUsers = (query: UsersQuery) =>
  useQuery({
    queryKey: adminKeys.userList(query),
    queryFn: ({ signal }) => fetchUsers(query, signal),
    placeholderData: keepPreviousData,
  });

/** A mutation whose success makes `keys` stale (their lists are fetched again). */
function useInvalidating<Args, Result>(mutationFn: (args: Args) => Promise<Result>, ...keys: (readonly unknown[])[]) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () => Promise.all(keys.map((queryKey) => queryClient.invalidateQueries({ queryKey }))),
  });
}

export const useCreateUser = () => useInvalidating(createUser, adminKeys.users(), adminKeys.stats());
export const useUpdateUser = () => useInvalidating(updateUser, adminKeys.users());
export const useDeleteUser = () => useInvalidating(deleteUser, adminKeys.users(), adminKeys.stats());
export const useRestoreUser = () => useInvalidating(restoreUser, adminKeys.users(), adminKeys.stats());
export const useSetUserRoles = () => useInvalidating(setUserRoles, adminKeys.users(), adminKeys.stats());

// Roles ------------------------------------------------------------------------------------------

export const useRoles = (enabled = true) =>
  useQuery({ queryKey: adminKeys.roles(), queryFn: ({ signal }) => fetchRoles(signal), enabled });

/** The permission catalogue: fixed by the API's version, read once. */
export const useCatalogue = () =>
  useQuery({ queryKey: adminKeys.catalogue(), queryFn: ({ signal }) => fetchCatalogue(signal), staleTime: Infinity });

export const useCreateRole = () => useInvalidating(createRole, adminKeys.roles());
export const useUpdateRole = () => useInvalidating(updateRole, adminKeys.roles());
export const useSetRolePermissions = () => useInvalidating(setRolePermissions, adminKeys.roles());
export const useDeleteRole = () => useInvalidating(deleteRole, adminKeys.roles(), adminKeys.users());

// Audit log --------------------------------------------------------------------------------------

export const useAuditEvents = (query: AuditQuery) =>
  useQuery({
    queryKey: adminKeys.audit(query),
    queryFn: ({ signal }) => fetchAuditEvents(query, signal),
    placeholderData: keepPreviousData,
  });

/**
 * The usernames of the users with these ids (each asked for once, `GET /users/:id`), for naming
 * the actors of audit events: an id whose user cannot be read (deleted for good, or no
 * `users:read`) is absent from the map.
 */
export function useUsernames(ids: readonly string[], enabled = true): ReadonlyMap<string, string> {
  const unique = [...new Set(ids)];
  return useQueries({
    queries: unique.map((id) => ({
      queryKey: adminKeys.user(id),
      queryFn: ({ signal }: { signal: AbortSignal }) => fetchUser(id, signal),
      enabled,
      staleTime: 5 * 60_000,
      retry: false,
    })),
    combine: (results) =>
      new Map(
        results.flatMap((result, index) => (result.data ? [[unique[index], result.data.username] as const] : [])),
      ),
  });
}

// Queues -----------------------------------------------------------------------------------------

/** How often the queues page asks again: the counts and the jobs listed move on their own. */
export const QUEUES_REFRESH_MS = 15_000;

export const useQueues = () =>
  useQuery({
    queryKey: adminKeys.queues(),
    queryFn: ({ signal }) => fetchQueues(signal),
    refetchInterval: QUEUES_REFRESH_MS,
  });

/** One page of a queue's jobs in a state, asked for again with the counts (a retried job fails again, say). */
export const useJobs = (name: QueueName, state: JobState, page: number) =>
  useQuery({
    queryKey: adminKeys.jobs(name, state, page),
    queryFn: ({ signal }) => fetchJobs(name, { state, page, perPage: ADMIN_PAGE_SIZE }, signal),
    placeholderData: keepPreviousData,
    refetchInterval: QUEUES_REFRESH_MS,
  });

export const useRetryJob = () => useInvalidating(retryJob, adminKeys.queues());
export const useDeleteJob = () => useInvalidating(deleteJob, adminKeys.queues());

// Categories and tags ----------------------------------------------------------------------------

export const useCategoryTree = () =>
  useQuery({ queryKey: adminKeys.categories(), queryFn: ({ signal }) => fetchCategoryTree(signal) });

/** Category changes also reach the readers' category filter (its cache is the reading feature's). */
const readingCategories = ['reading', 'categories'] as const;

export const useCreateCategory = () => useInvalidating(createCategory, adminKeys.categories(), readingCategories);
export const useUpdateCategory = () => useInvalidating(updateCategory, adminKeys.categories(), readingCategories);
export const useDeleteCategory = () => useInvalidating(deleteCategory, adminKeys.categories(), readingCategories);

export const useTags = (query: TagsQuery) =>
  useQuery({
    queryKey: adminKeys.tagList(query),
    queryFn: ({ signal }) => fetchTags(query, signal),
    placeholderData: keepPreviousData,
  });

export const useCreateTag = () => useInvalidating(createTag, adminKeys.tags());
export const useUpdateTag = () => useInvalidating(updateTag, adminKeys.tags());
export const useMergeTag = () => useInvalidating(mergeTag, adminKeys.tags());
export const useDeleteTag = () => useInvalidating(deleteTag, adminKeys.tags());
