import type { AuthUser } from '../../common/auth';
import type { UserEntity } from './entities/user.entity';

/**
 * The user row the authenticator loaded for a request, keyed by that request's `AuthUser` (a new
 * object per request): a handler that reads the caller's own row (`GET /auth/me`) uses it instead
 * of asking the database a second time within the same request.
 */
const rows = new WeakMap<AuthUser, UserEntity>();

export const rememberAuthenticatedRow = (user: AuthUser, row: UserEntity): void => void rows.set(user, row);

export const authenticatedRowOf = (user: AuthUser): UserEntity | undefined => rows.get(user);
