import { DataSource } from 'typeorm';
import { newId } from '../../src/database/ids';
import { apiClient, appOf, type AppRef, type InjectResponse } from './api';
import { type NewAccount, newAccount, PASSWORD, unique } from './factories';

/** The refresh cookie's name (`Path=/api/v1/auth`, HttpOnly). */
export const REFRESH_COOKIE = 'atrium_refresh';

/** A signed-in session: what `POST /api/v1/auth/login` hands out. */
export interface Session {
  /** The access token (`Authorization: Bearer …`). */
  token: string;
  /** The refresh cookie, ready for `call(…, { cookies })`. */
  cookies: Record<string, string>;
  /** The session (refresh family) id, the access token's `sid`. */
  sessionId: string;
  /** The login response's `user`. */
  user: { id: string; username: string; email: string; [field: string]: unknown };
}

/** An account of a test's own, signed in. */
export interface Actor extends NewAccount, Session {
  id: string;
}

export interface SignedInOptions extends Partial<NewAccount> {
  /** Mark the address verified (default true); `false` leaves it as sign-up does. */
  verified?: boolean;
  /** Roles given (in the database) before the first sign-in, beside the default `user`. */
  roles?: string[];
}

/** The claims of a JWT, unverified. */
export const claimsOf = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;

/** The refresh cookie a response set, as `cookies` for the next call (throws when it set none). */
export function refreshCookiesOf(res: InjectResponse): Record<string, string> {
  const cookie = res.cookies.find((c) => c.name === REFRESH_COOKIE);
  if (!cookie)
    throw new Error(`no ${REFRESH_COOKIE} cookie in the ${res.statusCode} answer: ${res.body.slice(0, 200)}`);
  return { [REFRESH_COOKIE]: cookie.value };
}

function expectStatus(res: InjectResponse, status: number, what: string): void {
  if (res.statusCode !== status) {
    throw new Error(`${what}: want ${status}, got ${res.statusCode} ${res.body.slice(0, 300)}`);
  }
}

/**
 * Who a test acts as, made through the real API (sign-up, sign-in) and, where the API offers no
 * way without mail or an admin, directly in the file's database: marking an address verified and
 * giving roles. Both happen before the account's first sign-in, so no cached ability predates them.
 */
export function actors(ref: AppRef) {
  const call = apiClient(ref);
  const db = (): DataSource => appOf(ref).get(DataSource);

  /** Marks an address verified, as following the mailed link would. */
  const verifyEmail = async (userId: string): Promise<void> => {
    await db().query(`UPDATE "users" SET "email_verified_at" = now() WHERE "id" = $1`, [userId]);
  };

  /**
   * Signs up through `POST /api/v1/auth/register` (unique name and address unless told), without
   * signing in; `verified` marks the address verified too.
   */
  const register = async (
    fields: Partial<NewAccount> = {},
    { verified = false }: { verified?: boolean } = {},
  ): Promise<NewAccount & { id: string }> => {
    const account = newAccount(fields);
    const res = await call('POST', '/api/v1/auth/register', { body: account });
    expectStatus(res, 202, `registering ${account.username}`);
    // The answer names no account (it is the same for a taken address): the id comes from the table.
    const [row] = await db().query<Array<{ id: string }>>(`SELECT id FROM users WHERE username_normalized = $1`, [
      account.username.toLowerCase(),
    ]);
    const id = row.id;
    if (verified) await verifyEmail(id);
    return { ...account, id };
  };

  /** `POST /api/v1/auth/login` as is, for tests about signing in. */
  const login = (name: string, password = PASSWORD, extra: object = {}): Promise<InjectResponse> =>
    call('POST', '/api/v1/auth/login', { body: { login: name, password, ...extra } });

  /** Signs in (asserting success): the access token, refresh cookie and session id. */
  const signIn = async (name: string, password = PASSWORD, extra: object = {}): Promise<Session> => {
    const res = await login(name, password, extra);
    expectStatus(res, 200, `signing in as ${name}`);
    const token = res.json().data.accessToken as string;
    return {
      token,
      cookies: refreshCookiesOf(res),
      sessionId: claimsOf(token).sid as string,
      user: res.json().data.user as Session['user'],
    };
  };

  /** Gives a user a role (by name) in the database, as the `assign-role` CLI does. */
  const grantRole = async (userId: string, role: string, expiresAt: Date | null = null): Promise<void> => {
    const rows = await db().query<unknown[]>(
      `INSERT INTO "user_roles" ("id", "user_id", "role_id", "expires_at")
       SELECT $1, $2, "id", $4 FROM "roles" WHERE "name" = $3
       ON CONFLICT ("user_id", "role_id") DO UPDATE SET "expires_at" = EXCLUDED."expires_at"
       RETURNING "id"`,
      [newId(), userId, role, expiresAt],
    );
    if (rows.length !== 1) throw new Error(`no role named ${role}`);
  };

  /** A fresh account, verified unless told, signed in. */
  const signedIn = async (options: SignedInOptions = {}): Promise<Actor> => {
    const { verified = true, roles = [], ...fields } = options;
    const account = await register(fields, { verified });
    for (const role of roles) await grantRole(account.id, role);
    return { ...account, ...(await signIn(account.username, account.password)) };
  };

  /** A fresh verified account holding `role` (and `user`), signed in. */
  const asRole = (role: string, options: SignedInOptions = {}): Promise<Actor> =>
    signedIn({ username: unique(role), ...options, roles: [role, ...(options.roles ?? [])] });

  /** A fresh verified administrator, signed in. */
  const asAdmin = (options: SignedInOptions = {}): Promise<Actor> => asRole('admin', options);

  return { call, register, login, signIn, signedIn, asRole, asAdmin, verifyEmail, grantRole };
}
