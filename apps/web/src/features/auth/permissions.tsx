import type { Permission } from '@atrium/contracts';
import type { ReactNode } from 'react';

import { useMe } from './api/me.queries';

export interface Permissions {
  /** Whether the signed-in user holds `permission` without conditions; `false` until `/auth/me` answers. */
  can: (permission: Permission) => boolean;
  /** `/auth/me` has not answered yet: neither "can" nor "cannot" is known. */
  isPending: boolean;
}

/**
 * What the signed-in user may do, from `GET /auth/me` (`permissions`: those held without
 * conditions). A gate for what to show only: the API checks every request itself, and a
 * conditional grant ("own posts") is decided per row there, never here.
 */
export function usePermissions(): Permissions {
  const me = useMe();
  const held = me.data?.permissions;
  return {
    can: (permission) => held?.includes(permission) ?? false,
    isPending: me.isPending,
  };
}

/** `useCan('users:read')`: whether the signed-in user holds that permission (`false` while unknown or signed out). */
export function useCan(permission: Permission): boolean {
  return usePermissions().can(permission);
}

interface CanProps {
  permission: Permission;
  children: ReactNode;
  /** Shown instead when the permission is not held (or not known yet). */
  fallback?: ReactNode;
}

/** Renders `children` only for a user who holds `permission`. */
export function Can({ permission, children, fallback = null }: CanProps) {
  return useCan(permission) ? children : fallback;
}
