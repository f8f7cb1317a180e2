import type { Permission } from '@atrium/contracts';

import { paths } from '../../app/paths';

export interface AdminSection {
  to: string;
  label: string;
  /** The page shows to whoever holds any of these (without conditions): what its API routes need. */
  anyOf: readonly Permission[];
}

/** The administration pages, in the order the admin navigation lists them. */
export const ADMIN_SECTIONS: readonly AdminSection[] = [
  { to: paths.admin.root, label: 'Dashboard', anyOf: ['stats:read'] },
  { to: paths.admin.users, label: 'Users', anyOf: ['users:read'] },
  { to: paths.admin.roles, label: 'Roles', anyOf: ['roles:read'] },
  { to: paths.admin.audit, label: 'Audit log', anyOf: ['audit:read'] },
  { to: paths.admin.queues, label: 'Queues', anyOf: ['queues:read'] },
  {
    to: paths.admin.categories,
    label: 'Categories',
    anyOf: ['categories:create', 'categories:update', 'categories:delete'],
  },
  { to: paths.admin.tags, label: 'Tags', anyOf: ['tags:create', 'tags:update', 'tags:delete'] },
];

/** The admin pages the signed-in user may open (none while `/auth/me` has not answered). */
export function visibleSections(can: (permission: Permission) => boolean): AdminSection[] {
  return ADMIN_SECTIONS.filter((section) => section.anyOf.some(can));
}

/** The audit log narrowed to an actor, a target (`user:<id>`) or an action: `/admin/audit?target=user%3A…`. */
export function auditPath(filter: { actor?: string; target?: string; action?: string }): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filter)) if (value) query.set(name, value);
  const search = query.toString();
  return search ? `${paths.admin.audit}?${search}` : paths.admin.audit;
}
