/**
 * The permission catalogue: every `resource:action` a role can hold. `GET /api/v1/permissions`
 * serves it; roles and `@RequirePermissions()` may only name permissions from here.
 */
export const PERMISSION_CATALOGUE = {
  users: ['read', 'create', 'update', 'delete', 'assign-roles'],
  roles: ['read', 'create', 'update', 'delete'],
  audit: ['read'],
  queues: ['read', 'manage'],
  stats: ['read'],
  profile: ['read', 'update'],
  posts: ['read', 'create', 'update', 'delete', 'publish'],
  comments: ['read', 'create', 'update', 'delete', 'moderate'],
  categories: ['create', 'update', 'delete'],
  tags: ['create', 'update', 'delete'],
} as const;

export type PermissionResource = keyof typeof PERMISSION_CATALOGUE;
export type Permission = {
  [R in PermissionResource]: `${R}:${(typeof PERMISSION_CATALOGUE)[R][number]}`;
}[PermissionResource];

export const PERMISSIONS: readonly Permission[] = Object.entries(PERMISSION_CATALOGUE).flatMap(([resource, actions]) =>
  (actions as readonly string[]).map((action) => `${resource}:${action}` as Permission),
);

export const isPermission = (value: string): value is Permission => (PERMISSIONS as readonly string[]).includes(value);

/** The roles every installation has (created by migration, never deleted). Higher level, more power. */
export const SystemRole = {
  ADMIN: 'admin',
  EDITOR: 'editor',
  AUTHOR: 'author',
  USER: 'user',
} as const;
export type SystemRole = (typeof SystemRole)[keyof typeof SystemRole];
