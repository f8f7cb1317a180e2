import type { operations, PaginationMeta, Schema } from '@atrium/api-client';

import { apiClient, callApi, toApiError, unwrap } from '../../../lib/api';

export type AdminStats = Schema<'StatsDto'>;
export type AdminUser = Schema<'AdminUserDto'>;
export type UserStatus = AdminUser['status'];
export type NewUser = Schema<'CreateUserDto'>;
export type UserChanges = Schema<'AdminUpdateUserDto'>;
export type RoleAssignment = Schema<'RoleAssignmentDto'>;
export type Role = Schema<'RoleDto'>;
export type RoleGrant = Schema<'PermissionGrantDto'>;
export type GrantablePermission = RoleGrant['permission'];
export type NewRole = Schema<'CreateRoleDto'>;
export type RoleChanges = Schema<'UpdateRoleDto'>;
export type CatalogueEntry = Schema<'CatalogueEntryDto'>;
export type AuditEvent = Schema<'AuditEventDto'>;
export type QueuesOverview = Schema<'QueuesOverviewDto'>;
export type QueueName = Schema<'QueueName'>;
export type JobState = Schema<'JobState'>;
export type Job = Schema<'JobDto'>;
export type CategoryNode = Schema<'CategoryNodeDto'>;
export type NewCategory = Schema<'CreateCategoryDto'>;
export type CategoryChanges = Schema<'UpdateCategoryDto'>;
export type Tag = Schema<'TagDto'>;
export type NewTag = Schema<'CreateTagDto'>;
export type TagChanges = Schema<'UpdateTagDto'>;

/** The query of `GET /users` (search, role, status, sort, offset page). */
export type UsersQuery = NonNullable<operations['UsersController_list']['parameters']['query']>;
/** The query of `GET /audit-events` (actor, action, target, from, to, offset page). */
export type AuditQuery = NonNullable<operations['AuditController_list']['parameters']['query']>;
/** The query of `GET /tags`. */
export type TagsQuery = NonNullable<operations['TagsController_list']['parameters']['query']>;

/** One offset page of a list, with what `meta.pagination` says about the others. */
export interface OffsetPage<T> {
  items: T[];
  pagination: PaginationMeta;
}

/** Opens a list envelope, keeping `meta.pagination` (a list without one is a single page). */
async function unwrapPage<T>(
  call: Promise<{
    data?: { data: T[]; meta: { pagination?: PaginationMeta } };
    error?: unknown;
    response: Response;
  }>,
  page = 1,
  perPage = 20,
): Promise<OffsetPage<T>> {
  const { data, error, response } = await callApi(() => call);
  if (!data) throw toApiError(error, response);
  return {
    items: data.data,
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

// Dashboard --------------------------------------------------------------------------------------

export const fetchStats = (signal?: AbortSignal) => unwrap(apiClient.GET('/api/v1/admin/stats', { signal }));

// Users ------------------------------------------------------------------------------------------

export const fetchUsers = (query: UsersQuery, signal?: AbortSignal) =>
  unwrapPage<AdminUser>(apiClient.GET('/api/v1/users', { params: { query }, signal }), query.page, query.perPage);

export const fetchUser = (id: string, signal?: AbortSignal) =>
  unwrap(apiClient.GET('/api/v1/users/{id}', { params: { path: { id } }, signal }));

export const createUser = (body: NewUser) => unwrap(apiClient.POST('/api/v1/users', { body }));

export const updateUser = ({ id, changes }: { id: string; changes: UserChanges }) =>
  unwrap(apiClient.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body: changes }));

export const deleteUser = (id: string) => unwrap(apiClient.DELETE('/api/v1/users/{id}', { params: { path: { id } } }));

export const restoreUser = (id: string) =>
  unwrap(apiClient.POST('/api/v1/users/{id}/restore', { params: { path: { id } } }));

export const setUserRoles = ({ id, roles }: { id: string; roles: RoleAssignment[] }) =>
  unwrap(apiClient.PUT('/api/v1/users/{id}/roles', { params: { path: { id } }, body: { roles } }));

// Roles and permissions --------------------------------------------------------------------------

export const fetchRoles = (signal?: AbortSignal) => unwrap(apiClient.GET('/api/v1/roles', { signal }));

export const fetchRole = (id: string, signal?: AbortSignal) =>
  unwrap(apiClient.GET('/api/v1/roles/{id}', { params: { path: { id } }, signal }));

export const fetchCatalogue = (signal?: AbortSignal) => unwrap(apiClient.GET('/api/v1/permissions', { signal }));

export const createRole = (body: NewRole) => unwrap(apiClient.POST('/api/v1/roles', { body }));

export const updateRole = ({ id, changes }: { id: string; changes: RoleChanges }) =>
  unwrap(apiClient.PATCH('/api/v1/roles/{id}', { params: { path: { id } }, body: changes }));

export const setRolePermissions = ({ id, permissions }: { id: string; permissions: RoleGrant[] }) =>
  unwrap(apiClient.PUT('/api/v1/roles/{id}/permissions', { params: { path: { id } }, body: { permissions } }));

export const deleteRole = (id: string) => unwrap(apiClient.DELETE('/api/v1/roles/{id}', { params: { path: { id } } }));

// Audit log --------------------------------------------------------------------------------------

export const fetchAuditEvents = (query: AuditQuery, signal?: AbortSignal) =>
  unwrapPage<AuditEvent>(
    apiClient.GET('/api/v1/audit-events', { params: { query }, signal }),
    query.page,
    query.perPage,
  );

// Queues -----------------------------------------------------------------------------------------

export const fetchQueues = (signal?: AbortSignal) => unwrap(apiClient.GET('/api/v1/admin/queues', { signal }));

export const fetchJobs = (
  name: QueueName,
  query: { state: JobState; page: number; perPage: number },
  signal?: AbortSignal,
) =>
  unwrapPage<Job>(
    apiClient.GET('/api/v1/admin/queues/{name}/jobs', { params: { path: { name }, query }, signal }),
    query.page,
    query.perPage,
  );

export const retryJob = ({ queue, id }: { queue: QueueName; id: string }) =>
  unwrap(apiClient.POST('/api/v1/admin/queues/{name}/jobs/{id}/retry', { params: { path: { name: queue, id } } }));

export const deleteJob = ({ queue, id }: { queue: QueueName; id: string }) =>
  unwrap(apiClient.DELETE('/api/v1/admin/queues/{name}/jobs/{id}', { params: { path: { name: queue, id } } }));

// Categories and tags ----------------------------------------------------------------------------

export const fetchCategoryTree = (signal?: AbortSignal) => unwrap(apiClient.GET('/api/v1/categories', { signal }));

export const createCategory = (body: NewCategory) => unwrap(apiClient.POST('/api/v1/categories', { body }));

export const updateCategory = ({ id, changes }: { id: string; changes: CategoryChanges }) =>
  unwrap(apiClient.PATCH('/api/v1/categories/{id}', { params: { path: { id } }, body: changes }));

export const deleteCategory = ({ id, moveTo }: { id: string; moveTo?: string }) =>
  unwrap(
    apiClient.DELETE('/api/v1/categories/{id}', {
      params: { path: { id }, query: moveTo ? { moveTo } : {} },
    }),
  );

export const fetchTags = (query: TagsQuery, signal?: AbortSignal) =>
  unwrapPage<Tag>(apiClient.GET('/api/v1/tags', { params: { query }, signal }), query.page, query.perPage);

export const createTag = (body: NewTag) => unwrap(apiClient.POST('/api/v1/tags', { body }));

export const updateTag = ({ id, changes }: { id: string; changes: TagChanges }) =>
  unwrap(apiClient.PATCH('/api/v1/tags/{id}', { params: { path: { id } }, body: changes }));

export const mergeTag = ({ id, intoId }: { id: string; intoId: string }) =>
  unwrap(apiClient.POST('/api/v1/tags/{id}/merge', { params: { path: { id } }, body: { intoId } }));

export const deleteTag = (id: string) => unwrap(apiClient.DELETE('/api/v1/tags/{id}', { params: { path: { id } } }));
