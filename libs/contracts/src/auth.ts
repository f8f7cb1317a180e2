import { type Permission, PERMISSIONS } from './permissions';

/** Prefix of personal access tokens, so scanners and people recognise a leaked one. */
export const PAT_PREFIX = 'atr_pat_';

/**
 * What a personal access token may do: permission names from the catalogue, each held by the
 * owner when the token is made. Whatever its scopes, a token never manages tokens, sessions,
 * passwords or two-factor settings.
 */
export const PatScope = {
  PROFILE_READ: 'profile:read',
  PROFILE_WRITE: 'profile:update',
} as const satisfies Record<string, Permission>;
export type PatScope = Permission;
export const PAT_SCOPES: readonly Permission[] = PERMISSIONS;
