import { useMe } from '../auth';
import type { Role } from './api/admin.api';

/**
 * The highest level among the signed-in user's roles: the API lets them create, change or assign
 * only roles below it. `undefined` while either list is unknown.
 */
export function useOwnLevel(roles: Role[] | undefined): number | undefined {
  const me = useMe();
  if (!me.data || !roles) return undefined;
  const held = new Set(me.data.roles);
  return roles.filter((role) => held.has(role.name)).reduce((top, role) => Math.max(top, role.level), 0);
}
