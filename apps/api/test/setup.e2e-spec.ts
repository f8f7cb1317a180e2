import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { ErrorCode } from '@atrium/contracts';
import { DataSource } from 'typeorm';
import type { AtriumApp } from '../src/bootstrap';
import { SetupService } from '../src/modules/setup/setup.service';
import { actors, claimsOf, refreshCookiesOf } from './support/actors';
import { newAccount, unique } from './support/factories';
import { startTestApp, TestResources } from './support/test-app';

/** An app on a fresh database of its own (no admin yet), started and stopped around a `describe`. */
function freshSite(env: Record<string, string> = {}) {
  const resources = new TestResources();
  const site = { atrium: undefined as unknown as AtriumApp };
  beforeAll(async () => {
    await resources.create();
    site.atrium = await startTestApp(resources, env);
  });
  afterAll(async () => {
    await site.atrium?.close();
    await resources.drop();
  });
  const db = () => site.atrium.app.get(DataSource);
  return { site, ...actors(() => site.atrium), db };
}

/** The active admins of a site, by username. */
const adminsOf = async (db: DataSource): Promise<string[]> =>
  (
    await db.query<Array<{ username: string }>>(
      `SELECT u.username FROM user_roles ur JOIN roles r ON r.id = ur.role_id JOIN users u ON u.id = ur.user_id
        WHERE r.name = 'admin' ORDER BY u.username`,
    )
  ).map((row) => row.username);

describe('first-run setup (outside production: no code)', () => {
  const { call, signIn, db } = freshSite();

  it('is required on a fresh database, without a code', async () => {
    const res = await call('GET', '/api/v1/setup');
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toEqual({ required: true, codeRequired: false });
    // A public route: no token needed, and nothing cached by shared caches.
    expect(res.headers['cache-control'] ?? 'no-store').not.toMatch(/public/);
  });

  it('refuses a weak password on its field, and creates nobody', async () => {
    const res = await call('POST', '/api/v1/setup', { body: newAccount({ password: 'password1' }) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([expect.objectContaining({ field: 'password', code: 'WEAK_PASSWORD' })]);
    expect(await adminsOf(db())).toEqual([]);
  });

  it('creates the first admin (email verified), names the site (no control characters) and signs the admin in', async () => {
    const account = newAccount({ username: unique('owner') });
    const res = await call('POST', '/api/v1/setup', { body: { ...account, siteName: '  The Reading\nRoom ' } });
    expect(res.statusCode).toBe(201);
    const { accessToken, tokenType, user } = res.json().data;
    expect(tokenType).toBe('Bearer');
    expect(user).toMatchObject({ username: account.username, email: account.email, emailVerified: true });
    expect(claimsOf(accessToken).sub).toBe(user.id);
    // Same answer as POST /auth/login: the refresh token is an HttpOnly cookie, not in the body.
    expect(res.json().data.refreshToken).toBeUndefined();
    const cookie = res.cookies.find((c) => c.name === 'atrium_refresh');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/v1/auth' });

    // An admin: the admin routes answer, and the roles say so.
    const me = (await call('GET', '/api/v1/auth/me', { token: accessToken })).json().data;
    expect(me.roles).toEqual(expect.arrayContaining(['admin', 'user']));
    const users = await call('GET', '/api/v1/users', { token: accessToken });
    expect(users.statusCode).toBe(200);
    expect((await call('GET', '/api/v1/admin/stats', { token: accessToken })).statusCode).toBe(200);

    // The session is a real one: the refresh cookie renews it.
    const refreshed = await call('POST', '/api/v1/auth/refresh', { body: {}, cookies: refreshCookiesOf(res) });
    expect(refreshed.statusCode).toBe(200);

    // And the password works for signing in later.
    await signIn(account.username, account.password);

    expect((await call('GET', '/api/v1/info')).json().data.siteName).toBe('The Reading Room');
    expect(await adminsOf(db())).toEqual([account.username]);
    const [audit] = await db().query<Array<{ metadata: { source: string; promoted: boolean } }>>(
      `SELECT metadata FROM audit_events WHERE action = 'admin.bootstrapped' AND target = $1`,
      [`user:${user.id}`],
    );
    expect(audit.metadata).toEqual({ source: 'setup', promoted: false });
  });

  it('is no longer required, and a second setup is refused with 409, changing nothing', async () => {
    expect((await call('GET', '/api/v1/setup')).json().data).toEqual({ required: false, codeRequired: false });
    const res = await call('POST', '/api/v1/setup', { body: { ...newAccount(), siteName: 'Taken over' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe(ErrorCode.CONFLICT);
    expect(res.cookies).toEqual([]);
    expect(await adminsOf(db())).toHaveLength(1);
    expect((await call('GET', '/api/v1/info')).json().data.siteName).toBe('The Reading Room');
  });
});

describe('first-run setup, several at once', () => {
  const { call, db } = freshSite();

  it('makes exactly one admin; the others answer 409', async () => {
    const accounts = Array.from({ length: 6 }, () => newAccount({ username: unique('racer') }));
    const answers = await Promise.all(accounts.map((body) => call('POST', '/api/v1/setup', { body })));
    const statuses = answers.map((res) => res.statusCode).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
    const winner = accounts[answers.findIndex((res) => res.statusCode === 201)];
    expect(await adminsOf(db())).toEqual([winner.username]);
    // The losers left no account behind either.
    const [{ count }] = await db().query<Array<{ count: string }>>(`SELECT count(*) FROM users`);
    expect(Number(count)).toBe(1);
  });
});

describe('first-run setup in production: the one-time code from the start-up log', () => {
  const secret = () => randomBytes(36).toString('base64url');
  const { site, call, db } = freshSite({
    NODE_ENV: 'production',
    JWT_ACCESS_SECRET: secret(),
    DATA_ENCRYPTION_KEY: secret(),
    APP_URL: 'https://atrium.example.com',
    SHUTDOWN_DRAIN_MS: '0',
  });
  const setupService = () => site.atrium.app.get(SetupService);

  /** What the start-up log says (main.ts calls `announce()` once the server listens). */
  const announced = async (): Promise<string> => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      await setupService().announce();
      return warn.mock.calls.map((args) => String(args[0])).join('\n');
    } finally {
      warn.mockRestore();
    }
  };

  it('asks for a code, and the start-up log gives one with the URL to open', async () => {
    expect((await call('GET', '/api/v1/setup')).json().data).toEqual({ required: true, codeRequired: true });
    const log = await announced();
    expect(log).toContain('https://atrium.example.com/setup');
    expect(log).toMatch(/setup code [0-9A-Z]{4}(-[0-9A-Z]{4}){3}\b/);
  });

  it('refuses a setup without the code or with a wrong one (403), creating nobody', async () => {
    await announced();
    const missing = await call('POST', '/api/v1/setup', { body: newAccount() });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().error.code).toBe(ErrorCode.FORBIDDEN);
    const wrong = await call('POST', '/api/v1/setup', { body: { ...newAccount(), code: 'AAAA-BBBB-CCCC-DDDD' } });
    expect(wrong.statusCode).toBe(403);
    expect(await adminsOf(db())).toEqual([]);
  });

  it('accepts the logged code (typed in lower case), never stores it in plain text, and spends it', async () => {
    const code = /setup code ([0-9A-Z-]{19})/.exec(await announced())?.[1] as string;
    const stored = await db().query<Array<{ hashes: string[] }>>(
      `SELECT setup_code_hashes AS hashes FROM system_instance`,
    );
    expect(stored[0].hashes.length).toBeGreaterThan(0);
    expect(JSON.stringify(stored)).not.toContain(code.replace(/-/g, ''));
    expect(JSON.stringify(stored)).not.toContain(code);

    const account = newAccount({ username: unique('prod-owner') });
    const res = await call('POST', '/api/v1/setup', { body: { ...account, code: code.toLowerCase() } });
    expect(res.statusCode).toBe(201);
    expect(res.cookies.find((c) => c.name === 'atrium_refresh')).toMatchObject({ secure: true, httpOnly: true });
    expect(await adminsOf(db())).toEqual([account.username]);

    // One-time: spent with the setup, and a second setup with it is refused anyway.
    const [after] = await db().query<Array<{ hashes: string[] }>>(
      `SELECT setup_code_hashes AS hashes FROM system_instance`,
    );
    expect(after.hashes).toEqual([]);
    const again = await call('POST', '/api/v1/setup', { body: { ...newAccount(), code } });
    expect(again.statusCode).toBe(409);
    // Nothing to announce once an admin exists.
    expect(await announced()).toBe('');
  });
});

describe('first-run setup: rate limits', () => {
  const { call } = freshSite({ AUTH_THROTTLE_LIMIT: '3' });

  it('POST /setup spends the auth budget (429 after it); GET /setup does not', async () => {
    for (let i = 0; i < 5; i += 1) expect((await call('GET', '/api/v1/setup')).statusCode).toBe(200);
    const weak = () => call('POST', '/api/v1/setup', { body: newAccount({ password: 'password1' }) });
    for (let i = 0; i < 3; i += 1) expect((await weak()).statusCode).toBe(400);
    const limited = await weak();
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe(ErrorCode.RATE_LIMITED);
  });
});
