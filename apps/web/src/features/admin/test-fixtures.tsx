import type { Permission } from '@atrium/contracts';
import type { HttpHandler } from 'msw';
import { PERMISSIONS } from '@atrium/contracts';

import { paths } from '../../app/paths';
import { ada, envelope, meOf } from '../../test/api-fixtures';
import { rememberSignIn, signedInApi } from '../../test/auth';
import { api, json, server } from '../../test/msw';
import { renderPage } from '../../test/render';
import type { AdminStats, AdminUser, AuditEvent, CategoryNode, Job, Role, Tag } from './api/admin.api';
import { AdminLayout } from './AdminLayout';
import { AuditPage } from './AuditPage';
import { CategoriesPage } from './CategoriesPage';
import { DashboardPage } from './DashboardPage';
import { QueuesPage } from './QueuesPage';
import { RoleEditorPage } from './RoleEditorPage';
import { RolesPage } from './RolesPage';
import { TagsPage } from './TagsPage';
import { UsersPage } from './UsersPage';

const adminRoutes = [
  {
    path: paths.admin.root,
    element: <AdminLayout />,
    children: [
      { index: true, element: <DashboardPage /> },
      { path: paths.admin.users, element: <UsersPage /> },
      { path: paths.admin.roles, element: <RolesPage /> },
      { path: paths.admin.role, element: <RoleEditorPage /> },
      { path: paths.admin.audit, element: <AuditPage /> },
      { path: paths.admin.queues, element: <QueuesPage /> },
      { path: paths.admin.categories, element: <CategoriesPage /> },
      { path: paths.admin.tags, element: <TagsPage /> },
    ],
  },
];

/**
 * The admin pages at `path`, for ada signed in with `permissions` (every one by default) and the
 * `admin` role; `handlers` answer the page's calls.
 */
export function renderAdmin(
  path: string,
  { permissions = PERMISSIONS, roles = ['admin'] }: { permissions?: readonly Permission[]; roles?: string[] } = {},
  ...handlers: HttpHandler[]
) {
  rememberSignIn();
  server.use(
    ...signedInApi(),
    api.get('/api/v1/auth/me', () => json(envelope({ ...meOf(ada, [...permissions]), roles }))),
    ...handlers,
  );
  return renderPage(adminRoutes, path);
}

export const pageMeta = (page: number, totalItems: number, perPage = 20) => ({
  requestId: 'req-list-1',
  timestamp: '2025-06-01T12:00:00.000Z',
  pagination: {
    page,
    perPage,
    totalItems,
    totalPages: Math.max(1, Math.ceil(totalItems / perPage)),
    hasNext: page * perPage < totalItems,
    hasPrev: page > 1,
  },
});

export const listEnvelope = <T,>(items: T[], page = 1, totalItems = items.length) => ({
  status: 'success' as const,
  data: items,
  meta: pageMeta(page, totalItems),
});

const grant = (permission: string, conditions: Record<string, unknown> | null = null) => ({ permission, conditions });

export const adminRole: Role = {
  id: '0193c5a2-aaaa-7000-8000-000000000001',
  name: 'admin',
  description: 'Everything',
  level: 100,
  isSystem: true,
  // As the API lists it: one grant of `manage` on `all`.
  permissions: [grant('all:manage')],
};
export const editorRole: Role = {
  id: '0193c5a2-aaaa-7000-8000-000000000002',
  name: 'editor',
  description: 'Edits every post',
  level: 50,
  isSystem: true,
  permissions: [grant('posts:read'), grant('posts:update'), grant('posts:publish')],
};
export const authorRole: Role = {
  id: '0193c5a2-aaaa-7000-8000-000000000003',
  name: 'author',
  description: 'Writes posts',
  level: 20,
  isSystem: true,
  permissions: [grant('posts:read'), grant('posts:create'), grant('posts:update', { authorId: '${user.id}' })],
};
export const reviewerRole: Role = {
  id: '0193c5a2-aaaa-7000-8000-000000000004',
  name: 'reviewer',
  description: 'Reads drafts',
  level: 15,
  isSystem: false,
  permissions: [grant('posts:read')],
};
export const roles = [adminRole, editorRole, authorRole, reviewerRole];

export const catalogue = [
  { resource: 'users', actions: ['read', 'create', 'update', 'delete', 'assign-roles'] },
  { resource: 'posts', actions: ['read', 'create', 'update', 'delete', 'publish'] },
  { resource: 'comments', actions: ['read', 'moderate'] },
];

export const userOf = (n: number, overrides: Partial<AdminUser> = {}): AdminUser => ({
  id: `0193c5a2-bbbb-7000-8000-${String(n).padStart(12, '0')}`,
  email: `user${n}@example.com`,
  username: `user${n}`,
  firstName: `First${n}`,
  lastName: null,
  isActive: true,
  emailVerified: true,
  twoFactorEnabled: false,
  status: 'active',
  createdAt: '2025-05-01T08:00:00.000Z',
  deletedAt: null,
  roles: [
    {
      roleId: '0193c5a2-aaaa-7000-8000-000000000005',
      name: 'member',
      level: 10,
      assignedAt: '2025-05-01T08:00:00.000Z',
      expiresAt: null,
    },
  ],
  ...overrides,
});

export const statsOf = (): AdminStats => ({
  generatedAt: '2025-06-01T12:00:00.000Z',
  users: {
    total: 42,
    byRole: [
      { role: 'admin', level: 100, users: 1 },
      { role: 'member', level: 10, users: 40 },
    ],
  },
  sessions: { active: 7 },
  content: {
    postsByStatus: { draft: 3, scheduled: 1, published: 12, archived: 2 },
    commentsPending: 5,
    topPosts: [
      {
        id: '0193c5a2-dddd-7000-8000-000000000001',
        title: 'Tides of Orkney',
        slug: 'tides',
        viewCount: 321,
        commentCount: 4,
      },
    ],
  },
  days: Array.from({ length: 30 }, (_, i) => ({
    date: `2025-05-${String(i + 2).padStart(2, '0')}`.replace('2025-05-32', '2025-06-01'),
    newUsers: i === 10 ? 6 : i % 3 === 0 ? 1 : 0,
    logins: 2,
    failedLogins: i === 29 ? 3 : 0,
    postsPublished: i === 20 ? 2 : 0,
  })),
});

export const auditEvent = (n: number, overrides: Partial<AuditEvent> = {}): AuditEvent => ({
  id: `0193c5a2-eeee-7000-8000-${String(n).padStart(12, '0')}`,
  actorId: ada.id,
  action: 'user.roles_changed',
  target: `user:0193c5a2-bbbb-7000-8000-${String(n).padStart(12, '0')}`,
  ip: '203.0.113.7',
  userAgent: 'Mozilla/5.0 Firefox/128.0',
  metadata: { before: [], after: [{ role: 'author' }] },
  at: '2025-06-01T10:00:00.000Z',
  ...overrides,
});

export const failedJob = (id: string): Job => ({
  id,
  queue: 'mail',
  name: 'mail.send',
  state: 'failed',
  attemptsMade: 5,
  attempts: 5,
  failedReason: '550 no such user',
  data: { template: 'verify-email', to: 'lost@example.com' },
  createdAt: '2025-06-01T09:00:00.000Z',
  finishedAt: '2025-06-01T09:30:00.000Z',
});

export const categoryOf = (
  id: string,
  name: string,
  children: CategoryNode[] = [],
  overrides: Partial<CategoryNode> = {},
): CategoryNode => ({
  id,
  name,
  slug: name.toLowerCase(),
  description: '',
  parentId: null,
  sortOrder: 0,
  createdAt: '2025-05-01T08:00:00.000Z',
  updatedAt: '2025-05-01T08:00:00.000Z',
  postCount: 0,
  children,
  ...overrides,
});

export const tagOf = (n: number, name: string, overrides: Partial<Tag> = {}): Tag => ({
  id: `0193c5a2-ffff-7000-8000-${String(n).padStart(12, '0')}`,
  name,
  slug: name.toLowerCase(),
  color: null,
  usageCount: n,
  createdAt: '2025-05-01T08:00:00.000Z',
  updatedAt: '2025-05-01T08:00:00.000Z',
  ...overrides,
});

export const rolesApi = api.get('/api/v1/roles', () => json(envelope(roles)));
