import { randomBytes } from 'node:crypto';
import type { Permission } from '@atrium/contracts';

/**
 * Test data that never collides: every name carries a per-process counter and random bits, so
 * tests in one file (one database) and parallel files never ask for the same account or role.
 */

/** A passphrase the strength check accepts; the password of every account a test makes unless told. */
export const PASSWORD = 'violet tractor umbrella 42';

const WORDS = [
  'amber',
  'basalt',
  'cobalt',
  'dune',
  'ember',
  'fjord',
  'glacier',
  'harbour',
  'indigo',
  'juniper',
  'kestrel',
  'lantern',
  'meadow',
  'nutmeg',
  'orchard',
  'quartz',
];
let counter = 0;

/** A short name nobody else uses: `<prefix>-<n><hex>` (valid as a username and as a role name). */
export function unique(prefix = 'user'): string {
  counter += 1;
  return `${prefix}-${counter}${randomBytes(3).toString('hex')}`;
}

/** Another strong passphrase (three different words and a number: zxcvbn scores it 4), e.g. for a new password. */
export function strongPassword(): string {
  const pool = [...WORDS];
  const words = [0, 1, 2].map(() => pool.splice(randomBytes(1)[0] % pool.length, 1)[0]);
  return `${words.join(' ')} ${10 + (randomBytes(1)[0] % 90)}`;
}

export interface NewAccount {
  username: string;
  email: string;
  password: string;
}

/** The sign-up fields of a new account: a unique username, its `@example.com` address and PASSWORD. */
export function newAccount(overrides: Partial<NewAccount> = {}): NewAccount {
  const username = overrides.username ?? unique('user');
  return { username, email: overrides.email ?? `${username}@example.com`, password: overrides.password ?? PASSWORD };
}

export interface NewRole {
  name: string;
  level: number;
  description?: string;
  permissions: Array<{ permission: Permission; conditions?: Record<string, unknown> }>;
}

/** The body of `POST /api/v1/roles`: a unique name, level 30 and the given permissions. */
export function newRole(permissions: Permission[] = [], overrides: Partial<NewRole> = {}): NewRole {
  return {
    name: unique('role'),
    level: 30,
    permissions: permissions.map((permission) => ({ permission })),
    ...overrides,
  };
}
