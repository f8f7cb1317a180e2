/** Prefix of personal access tokens, so scanners and people recognise a leaked one. */
export const PAT_PREFIX = 'atr_pat_';

/**
 * What a personal access token may do. Until roles and permissions land, a fixed list; a token
 * never manages tokens, sessions, passwords or two-factor settings, whatever its scopes.
 */
export const PatScope = {
  PROFILE_READ: 'profile:read',
  PROFILE_WRITE: 'profile:write',
} as const;
export type PatScope = (typeof PatScope)[keyof typeof PatScope];
export const PAT_SCOPES: readonly PatScope[] = Object.values(PatScope);
