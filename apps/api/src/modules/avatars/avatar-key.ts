import { randomBytes } from 'node:crypto';

/**
 * An avatar's storage key: 128 random bits as 32 lowercase hex digits. Made by the server for every
 * upload (never taken from the client), so it cannot name a path, cannot be guessed, and changes
 * whenever the image does — which is what lets the served image be cached as immutable.
 */
export const AVATAR_KEY_PATTERN = /^[0-9a-f]{32}$/;

export const newAvatarKey = (): string => randomBytes(16).toString('hex');

export const isAvatarKey = (value: unknown): value is string =>
  typeof value === 'string' && AVATAR_KEY_PATTERN.test(value);

/** Storage drivers call this before touching anything: they act on server-made keys only. */
export function assertAvatarKey(value: unknown): asserts value is string {
  if (!isAvatarKey(value)) throw new Error('Not an avatar key');
}

/** The image behind a key never changes (a new image gets a new key), so it may be cached for a year. */
export const AVATAR_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** Where the API serves the avatar with `key` (a path on the API's origin). */
export const avatarUrl = (key: string | null): string | null => (key === null ? null : `/api/v1/avatars/${key}`);
