import type { FastifyRequest } from 'fastify';
import type { Permission } from '@atrium/contracts';

/** Who made an authenticated request. */
export interface AuthUser {
  id: string;
  email: string;
  username: string;
  emailVerified: boolean;
  /** The session (`sid`) the access token belongs to; null for a personal access token. */
  sessionId: string | null;
  /** Set when the request came with a personal access token. */
  pat?: { id: string; scopes: readonly string[] };
}

export type AuthenticatedRequest = FastifyRequest & { user?: AuthUser };

/**
 * Turns a bearer credential into the caller (identity implements it). Null when the credential is
 * not valid: unknown, expired, revoked, or its user is no longer active.
 */
export interface Authenticator {
  authenticate(bearer: string): Promise<AuthUser | null>;
}

/** What the caller may do (authorization implements it), for the guard and for identity's own routes. */
export interface Authorizer {
  /** Route-level check: throws 403 when one permission is missing. */
  assertAll(user: AuthUser, permissions: readonly Permission[]): Promise<void>;
  /** Permissions held without conditions (what `GET /auth/me` reports and tokens may be scoped to). */
  heldPermissions(user: AuthUser): Promise<Permission[]>;
  /** Names of the roles the user holds now, highest first. */
  roleNames(user: AuthUser): Promise<string[]>;
}

export const AUTHENTICATOR = Symbol('Authenticator');
export const AUTHORIZER = Symbol('Authorizer');
