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

/** The resource a permission is about: `users:read` → `users`. */
export const resourceOf = (permission: Permission): PermissionResource =>
  permission.slice(0, permission.indexOf(':')) as PermissionResource;

/** Whether a permission only reads (`…:read`): what a "read-only" token may hold. */
export const isReadPermission = (permission: Permission): boolean => permission.endsWith(':read');

/**
 * The resources whose features exist today: clients offer token scopes of these resources only.
 * Add a resource here when its module lands (a scope for a feature that does not exist does nothing).
 */
export const LIVE_PERMISSION_RESOURCES: readonly PermissionResource[] = [
  'profile',
  'users',
  'roles',
  'audit',
  'stats',
  'queues',
  'posts',
  'comments',
  'categories',
  'tags',
];

/** What each resource of the catalogue is, for people choosing permissions (token scopes, roles) and the API docs. */
export const PERMISSION_RESOURCE_INFO: Readonly<Record<PermissionResource, { label: string; description: string }>> = {
  profile: { label: 'Your profile', description: 'Your own account as you see it in Settings.' },
  users: { label: 'Users', description: 'Everyone’s accounts, as administrators manage them.' },
  roles: { label: 'Roles', description: 'The roles that bundle permissions, and what each grants.' },
  audit: { label: 'Audit log', description: 'The record of who did what, and when.' },
  stats: { label: 'Statistics', description: 'The figures on the administration dashboard.' },
  queues: { label: 'Background jobs', description: 'The queues of mails and other work done in the background.' },
  posts: { label: 'Posts', description: 'Articles and their publication.' },
  comments: { label: 'Comments', description: 'Comments on posts, and their moderation.' },
  categories: { label: 'Categories', description: 'The categories posts are filed under.' },
  tags: { label: 'Tags', description: 'The tags attached to posts.' },
};

/** One sentence per permission: what a role, or a personal access token, holding it may do. */
export const PERMISSION_DESCRIPTIONS: Readonly<Record<Permission, string>> = {
  'profile:read': 'Read your profile, roles and permissions.',
  'profile:update': 'Change your names, bio, display preferences and avatar.',
  'users:read': 'Find users and see their accounts, roles and status.',
  'users:create': 'Create accounts; each owner is mailed an invitation to choose a password.',
  'users:update': 'Change other users’ names, email verification and active status (deactivating signs them out).',
  'users:delete': 'Delete accounts, and restore them during the retention period.',
  'users:assign-roles': 'Give other users roles below your own level, for good or until a date.',
  'roles:read': 'See every role and the permissions it grants.',
  'roles:create': 'Create custom roles granting only what you hold.',
  'roles:update': 'Change roles’ descriptions, levels and permissions.',
  'roles:delete': 'Delete custom roles.',
  'audit:read': 'Read the audit log.',
  'stats:read': 'See the dashboard figures: users, sessions, sign-ups and sign-ins.',
  'queues:read': 'See the background queues and their jobs.',
  'queues:manage': 'Retry failed background jobs and delete jobs that are not running.',
  'posts:read': 'Read posts.',
  'posts:create': 'Write new posts.',
  'posts:update': 'Edit posts.',
  'posts:delete': 'Delete posts.',
  'posts:publish': 'Publish and unpublish posts.',
  'comments:read': 'Read comments.',
  'comments:create': 'Write comments.',
  'comments:update': 'Edit comments.',
  'comments:delete': 'Delete comments.',
  'comments:moderate': 'Approve, hide and remove other people’s comments.',
  'categories:create': 'Create categories.',
  'categories:update': 'Rename and reorganise categories.',
  'categories:delete': 'Delete categories.',
  'tags:create': 'Create tags.',
  'tags:update': 'Rename tags.',
  'tags:delete': 'Delete tags.',
};

/** The roles every installation has (created by migration, never deleted). Higher level, more power. */
export const SystemRole = {
  ADMIN: 'admin',
  EDITOR: 'editor',
  AUTHOR: 'author',
  USER: 'user',
} as const;
export type SystemRole = (typeof SystemRole)[keyof typeof SystemRole];
