import { createHmac, generateKeyPairSync, sign as rsaSign } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { DataSource } from 'typeorm';
import { ErrorCode } from '@atrium/contracts';
import type { AtriumApp } from '../src/bootstrap';
import { EmailTokensRepository } from '../src/modules/identity/email-tokens.repository';
import { IdentityMaintenance } from '../src/modules/identity/identity-maintenance';
import { JWT_AUDIENCE, JWT_ISSUER } from '../src/modules/identity/tokens.service';
import { actors, claimsOf, REFRESH_COOKIE, refreshCookiesOf } from './support/actors';
import { apiClient } from './support/api';
import { PASSWORD, strongPassword } from './support/factories';
import { SmtpSink } from './support/smtp-sink';
import { startTestApp, TestResources } from './support/test-app';
import { TEST_REDIS_URL } from './support/test-env';
import { waitFor } from './support/wait-for';
import { WorkerProcess } from './support/worker-process';

const APP_URL = 'https://app.atrium.test';
const SECRET = 'e2e-access-secret-0123456789abcdefghijklmnopqrstuv';

const b64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A JWT signed with HS256 and whatever claims and key the attacker likes. */
function forge(claims: Record<string, unknown>, options: { key?: string; alg?: string } = {}): string {
  const header = b64url({ alg: options.alg ?? 'HS256', typ: 'JWT' });
  const body = b64url(claims);
  const signature = createHmac('sha256', options.key ?? SECRET)
    .update(`${header}.${body}`)
    .digest('base64url');
  return `${header}.${body}.${signature}`;
}
const decode = claimsOf;

/**
 * Identity end to end on real Postgres, Redis and SMTP: the API enqueues mail, a worker process
 * delivers it to an SMTP server in this process, and every defence is attacked once.
 */
describe('identity', () => {
  const resources = new TestResources();
  const sink = new SmtpSink();
  let worker: WorkerProcess;
  let atrium: AtriumApp;

  const env = (): Record<string, string> => ({
    NODE_ENV: 'test',
    DATABASE_URL: resources.databaseUrl,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: resources.redisPrefix,
    SMTP_URL: sink.url,
    APP_URL,
    CORS_ORIGINS: APP_URL,
    JWT_ACCESS_SECRET: SECRET,
    LOCKOUT_THRESHOLD: '3',
    AUTH_THROTTLE_LIMIT: '1000',
  });

  const { call, register, login, signedIn, verifyEmail } = actors(() => atrium);

  /** The link with `path` from the newest mail to `to` that has one, as the recipient would click it. */
  const linkFromMail = async (to: string, path: string): Promise<URL> => {
    const pattern = new RegExp(`${APP_URL}${path}\\?token=[A-Za-z0-9_-]+`);
    const links = (): string[] =>
      sink
        .to(to)
        .map((mail) => pattern.exec(String(mail.parsed.text ?? ''))?.[0])
        .filter((link): link is string => link !== undefined);
    const found = await waitFor(links, (l) => l.length > 0);
    if (found.length === 0) throw new Error(`no ${path} link in any mail to ${to}`);
    return new URL(found[found.length - 1]);
  };

  beforeAll(async () => {
    await resources.create();
    await sink.start();
    atrium = await startTestApp(resources, env());
    worker = await new WorkerProcess(env()).start();
  });

  afterAll(async () => {
    await worker?.stop('SIGTERM');
    await atrium?.close();
    await sink.stop();
    await resources.drop();
  });

  it('register → verification mail over SMTP → verify → login → me → refresh (rotated) → logout → old token 401', async () => {
    const { email, id } = await register({ username: 'ada' });
    const verify = await linkFromMail(email, '/verify-email');
    const [mail] = sink.to(email);
    expect(mail.parsed.subject).toMatch(/confirm your email/i);

    const verified = await call('POST', '/api/v1/auth/verify-email', {
      body: { token: verify.searchParams.get('token') },
    });
    expect(verified.statusCode).toBe(200);
    expect(verified.json().data).toEqual({ message: 'Email address verified', alreadyVerified: false });

    const signIn = await login('ADA@example.com');
    expect(signIn.statusCode).toBe(200);
    const { accessToken, tokenType, expiresIn, refreshToken } = signIn.json().data;
    expect({ tokenType, expiresIn, refreshToken }).toEqual({
      tokenType: 'Bearer',
      expiresIn: 900,
      refreshToken: undefined,
    });
    const setCookie = String(signIn.headers['set-cookie']);
    expect(setCookie).toMatch(/^atrium_refresh=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/api/v1/auth');
    expect(setCookie).toContain('Secure'); // APP_URL is https
    expect(decode(accessToken)).toMatchObject({ sub: id, iss: JWT_ISSUER, aud: JWT_AUDIENCE });

    const me = await call('GET', '/api/v1/auth/me', { token: accessToken });
    expect(me.statusCode).toBe(200);
    expect(me.json().data).toMatchObject({ id, email, username: 'ada', emailVerified: true, roles: ['user'] });

    const cookies = refreshCookiesOf(signIn);
    const refreshed = await call('POST', '/api/v1/auth/refresh', { cookies });
    expect(refreshed.statusCode).toBe(200);
    const rotated = refreshCookiesOf(refreshed);
    expect(rotated[REFRESH_COOKIE]).not.toBe(cookies[REFRESH_COOKIE]);
    const newAccess = refreshed.json().data.accessToken as string;
    expect(decode(newAccess).sid).toBe(decode(accessToken).sid);

    const logout = await call('POST', '/api/v1/auth/logout', { token: newAccess });
    expect(logout.statusCode).toBe(200);
    expect((await call('GET', '/api/v1/auth/me', { token: newAccess })).statusCode).toBe(401);
    expect((await call('GET', '/api/v1/auth/me', { token: accessToken })).statusCode).toBe(401);
    expect((await call('POST', '/api/v1/auth/refresh', { cookies: rotated })).statusCode).toBe(401);
  });

  it('a verification link opened again says the address is already confirmed, and no used link tells more', async () => {
    const { email, id } = await register({ username: 'twice' });
    const token = (await linkFromMail(email, '/verify-email')).searchParams.get('token');
    const verify = (value: string | null) => call('POST', '/api/v1/auth/verify-email', { body: { token: value } });

    // Two tabs (or a mail client's preview and the click) at once: one confirms, the other is told so.
    const both = await Promise.all([verify(token), verify(token)]);
    expect(both.map((res) => res.statusCode)).toEqual([200, 200]);
    expect(both.map((res) => res.json().data.alreadyVerified).sort()).toEqual([false, true]);
    const again = await verify(token);
    expect(again.json().data).toEqual({ message: 'Email address already verified', alreadyVerified: true });
    // The daily cleanup keeps a used verification link until it expires.
    await atrium.app.get(EmailTokensRepository, { strict: false }).deleteSpent();
    expect((await verify(token)).json().data.alreadyVerified).toBe(true);

    const db = atrium.app.get(DataSource);
    const unknown = await verify('A'.repeat(43));
    expect(unknown.statusCode).toBe(400);
    const sameAsUnknown = (res: typeof unknown) => {
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toEqual(unknown.json().error);
    };
    // A used reset link is no verification link, and says nothing about its account here either.
    expect((await call('POST', '/api/v1/auth/forgot-password', { body: { email } })).statusCode).toBe(202);
    const reset = (await linkFromMail(email, '/reset-password')).searchParams.get('token');
    const body = { token: reset, password: strongPassword() };
    expect((await call('POST', '/api/v1/auth/reset-password', { body })).statusCode).toBe(200);
    sameAsUnknown(await verify(reset));
    // Once the account is deactivated, or the link has expired, a used link is as dead as any other.
    await db.query(`UPDATE users SET is_active = false WHERE id = $1`, [id]);
    sameAsUnknown(await verify(token));
    await db.query(`UPDATE users SET is_active = true WHERE id = $1`, [id]);
    expect((await verify(token)).statusCode).toBe(200);
    await db.query(`UPDATE email_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [id]);
    sameAsUnknown(await verify(token));
  });

  it('tells the signed-in user about a sign-in from a new device by mail, naming it: not the first sign-in, not a device it knows, again after signing out everywhere', async () => {
    const { email } = await register({ username: 'grace' });
    const chrome =
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36';
    const firefox = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:144.0) Gecko/20100101 Firefox/144.0';
    const signIn = async (userAgent?: string): Promise<string> => {
      const answer = await call('POST', '/api/v1/auth/login', {
        body: { login: 'grace', password: PASSWORD },
        ...(userAgent && { headers: { 'user-agent': userAgent } }),
      });
      expect(answer.statusCode).toBe(200);
      return answer.json<{ data: { accessToken: string } }>().data.accessToken;
    };
    const notices = async (count: number) => {
      const mails = await waitFor(
        () => sink.to(email),
        (m) => m.filter((x) => /new sign-in/i.test(x.parsed.subject ?? '')).length >= count,
      );
      return mails.filter((m) => /new sign-in/i.test(m.parsed.subject ?? ''));
    };
    // The first sign-in right after sign-up is no news to the owner; a new browser is.
    await signIn();
    await signIn(chrome);
    expect((await notices(1))[0].parsed.text).toContain('Chrome on Linux');
    // Devices the account has signed in from (same address and browser) are not news either: the
    // mail that would have come for them is sent before the next device's, which names Firefox.
    await signIn(chrome);
    const token = await signIn();
    await signIn(firefox);
    const afterFirefox = await notices(2);
    expect(afterFirefox).toHaveLength(2);
    expect(afterFirefox[1].parsed.text).toContain('Firefox on Windows');
    expect(afterFirefox[0].parsed.text).not.toContain('AppleWebKit');
    // Signing out everywhere (a stolen password, say) makes every device new again.
    expect((await call('POST', '/api/v1/auth/logout-all', { token })).statusCode).toBe(200);
    await signIn(chrome);
    const afterLogoutAll = await notices(3);
    expect(afterLogoutAll).toHaveLength(3);
    expect(afterLogoutAll[2].parsed.text).toContain('Chrome on Linux');
  });

  describe('attacks on the access token', () => {
    let token: string;
    let claims: Record<string, unknown>;

    beforeAll(async () => {
      ({ token } = await signedIn({ username: 'mallory' }));
      claims = decode(token);
    });

    const rejected = async (forged: string) => {
      const res = await call('GET', '/api/v1/auth/me', { token: forged });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe(ErrorCode.UNAUTHENTICATED);
    };

    it('accepts the genuine token (so the rejections below are about the tampering)', async () => {
      expect((await call('GET', '/api/v1/auth/me', { token })).statusCode).toBe(200);
    });

    it('rejects alg "none"', async () => {
      const [, body] = token.split('.');
      await rejected(`${b64url({ alg: 'none', typ: 'JWT' })}.${body}.`);
    });

    it('rejects an RS256 token (algorithm confusion)', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const header = b64url({ alg: 'RS256', typ: 'JWT' });
      const body = b64url(claims);
      const signature = rsaSign('RSA-SHA256', Buffer.from(`${header}.${body}`), privateKey).toString('base64url');
      await rejected(`${header}.${body}.${signature}`);
    });

    it('rejects a tampered payload and a wrong key', async () => {
      const [header, , signature] = token.split('.');
      await rejected(`${header}.${b64url({ ...claims, sub: '0190f0d2-0000-7000-8000-000000000099' })}.${signature}`);
      await rejected(forge(claims, { key: 'not-the-server-secret-0123456789abcdef' }));
    });

    it('rejects a wrong audience or issuer', async () => {
      await rejected(forge({ ...claims, aud: 'another-api' }));
      await rejected(forge({ ...claims, iss: 'someone-else' }));
    });

    it('answers TOKEN_EXPIRED for an expired token', async () => {
      const now = Math.floor(Date.now() / 1000);
      const res = await call('GET', '/api/v1/auth/me', { token: forge({ ...claims, iat: now - 1000, exp: now - 10 }) });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe(ErrorCode.TOKEN_EXPIRED);
    });

    it('never accepts a refresh token as an access token', async () => {
      const { cookies } = await signedIn({ username: 'trudy' });
      await rejected(cookies[REFRESH_COOKIE]);
    });

    it('requires a token on every non-public route', async () => {
      const res = await call('GET', '/api/v1/auth/me');
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe(ErrorCode.UNAUTHENTICATED);
    });
  });

  it('a rotated refresh token presented again revokes the whole session, and is audited', async () => {
    const { cookies, user } = await signedIn({ username: 'victor' });
    const first = await call('POST', '/api/v1/auth/refresh', { cookies });
    const current = refreshCookiesOf(first);
    const access = first.json().data.accessToken as string;
    // Past the grace period in which a second tab or a retry gets the same successor:
    await atrium.app
      .get(DataSource)
      .query(
        `UPDATE sessions SET revoked_at = now() - interval '1 hour' WHERE user_id = $1 AND revoked_reason = 'rotated'`,
        [user.id],
      );

    expect((await call('POST', '/api/v1/auth/refresh', { cookies })).statusCode).toBe(401); // the stolen old one
    expect((await call('POST', '/api/v1/auth/refresh', { cookies: current })).statusCode).toBe(401); // family gone
    expect((await call('GET', '/api/v1/auth/me', { token: access })).statusCode).toBe(401);
    const [{ count }] = await atrium.app
      .get(DataSource)
      .query<[{ count: number }]>(
        `SELECT count(*)::int AS count FROM audit_events WHERE actor_id = $1 AND action = 'session.refresh_reuse'`,
        [user.id],
      );
    expect(count).toBe(1);
  });

  it('two refreshes of one token at once (two tabs, a retry) both succeed with the same successor', async () => {
    const { cookies } = await signedIn({ username: 'tabby' });
    const [a, b] = await Promise.all([
      call('POST', '/api/v1/auth/refresh', { cookies }),
      call('POST', '/api/v1/auth/refresh', { cookies }),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(refreshCookiesOf(a)).toEqual(refreshCookiesOf(b));
    for (const res of [a, b]) {
      expect((await call('GET', '/api/v1/auth/me', { token: res.json().data.accessToken })).statusCode).toBe(200);
    }
    expect((await call('POST', '/api/v1/auth/refresh', { cookies: refreshCookiesOf(a) })).statusCode).toBe(200);
  });

  it('gives non-browser clients the refresh token in the body when asked', async () => {
    await register({ username: 'scripty' });
    const res = await login('scripty', PASSWORD, { refreshTokenInBody: true });
    const { refreshToken } = res.json().data;
    expect(refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const refreshed = await call('POST', '/api/v1/auth/refresh', { body: { refreshToken } });
    expect(refreshed.statusCode).toBe(200);
    expect(refreshed.json().data.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('answers an unknown user and a wrong password the same way', async () => {
    await register({ username: 'oscar' });
    const wrong = await login('oscar', 'not the password at all');
    const unknown = await login('nobody-here', 'not the password at all');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error).toEqual(unknown.json().error);
  });

  it('locks an account after repeated failures (ACCOUNT_LOCKED with Retry-After), and unlocks when the lock expires', async () => {
    const { id } = await register({ username: 'peggy' });
    for (let i = 0; i < 3; i += 1) expect((await login('peggy', 'wrong password guess')).statusCode).toBe(401);
    const locked = await login('peggy');
    expect(locked.statusCode).toBe(423);
    expect(locked.json().error.code).toBe(ErrorCode.ACCOUNT_LOCKED);
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);

    // The lock is kept in Postgres, so a Redis restart cannot lift it; time passes as after LOCKOUT_MINUTES.
    await atrium.app
      .get(DataSource)
      .query(`UPDATE sign_in_failures SET locked_until = now() - interval '1 second' WHERE key LIKE $1`, [
        `user:${id}|%`,
      ]);
    expect((await login('peggy')).statusCode).toBe(200);
  });

  it('counts sign-in attempts before checking them: parallel guesses cannot outrun the lockout', async () => {
    const { id } = await register({ username: 'guesser' });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => login('guesser', `wrong guess number ${i}`)),
    );
    const statuses = answers.map((res) => res.statusCode);
    // LOCKOUT_THRESHOLD is 3 here: at most three guesses were checked, every other one refused unchecked.
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(3);
    expect(statuses.filter((s) => s === 423).length).toBeGreaterThanOrEqual(17);
    expect((await login('guesser')).statusCode).toBe(423);
    const [row] = await atrium.app
      .get(DataSource)
      .query(`SELECT locked_until FROM sign_in_failures WHERE key LIKE $1`, [`user:${id}|%`]);
    expect(row.locked_until).not.toBeNull();
  });

  it('rejects a weak password with a helpful message', async () => {
    const res = await call('POST', '/api/v1/auth/register', {
      body: { email: 'weak@example.com', username: 'weakling', password: 'password123' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([
      expect.objectContaining({ field: 'password', code: 'WEAK_PASSWORD', message: expect.stringMatching(/guess/) }),
    ]);
  });

  it('keeps email and username unique regardless of case', async () => {
    const walter = await register({ username: 'walter' });
    const again = await call('POST', '/api/v1/auth/register', {
      body: { email: walter.email.toUpperCase(), username: 'someone', password: PASSWORD },
    });
    // The same answer as a new address (it reveals nobody's account), and no second account.
    expect(again.statusCode).toBe(202);
    const rows = await atrium.app
      .get(DataSource)
      .query(`SELECT username FROM users WHERE email_normalized = $1`, [walter.email.toLowerCase()]);
    expect(rows).toEqual([{ username: 'walter' }]);
    const sameName = await call('POST', '/api/v1/auth/register', {
      body: { email: 'other@example.com', username: 'Walter', password: PASSWORD },
    });
    expect(sameName.statusCode).toBe(409);
    expect(sameName.json().error.details[0].field).toBe('username');
  });

  it('PATCH /me changes the profile and rejects anything else (no mass assignment)', async () => {
    // Not verified: the check below shows PATCH cannot set it.
    const { token } = await signedIn({ username: 'eve', verified: false });
    const ok = await call('PATCH', '/api/v1/me', {
      token,
      body: { firstName: 'Eve', bio: 'Hi', preferences: { colorScheme: 'dark', fontScale: 1.25 } },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().data).toMatchObject({
      firstName: 'Eve',
      bio: 'Hi',
      preferences: { colorScheme: 'dark', fontScale: 1.25 },
    });
    // The accessibility preferences: contrast, density and a reading level for the feed.
    const a11y = await call('PATCH', '/api/v1/me', {
      token,
      body: { preferences: { colorScheme: 'dark', highContrast: true, density: 'spacious', maxReadingLevel: 8 } },
    });
    expect(a11y.json().data.preferences).toMatchObject({ highContrast: true, density: 'spacious', maxReadingLevel: 8 });
    // Preferences follow the typed schema shared with the SPA: no free-form keys, no odd values.
    const odd = await call('PATCH', '/api/v1/me', {
      token,
      body: { preferences: { theme: 'dark', fontScale: 7, density: 'cosy', maxReadingLevel: 7 } },
    });
    expect(odd.statusCode).toBe(400);
    expect(odd.json().error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'preferences.theme', code: 'UNKNOWN_FIELD' }),
        expect.objectContaining({ field: 'preferences.fontScale', code: 'IS_IN' }),
        expect.objectContaining({ field: 'preferences.density', code: 'IS_IN' }),
        expect.objectContaining({ field: 'preferences.maxReadingLevel', code: 'IS_IN' }),
      ]),
    );
    for (const field of ['emailVerified', 'isActive', 'email', 'passwordHash', 'roles']) {
      const res = await call('PATCH', '/api/v1/me', { token, body: { [field]: true } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details[0]).toMatchObject({ field, code: 'UNKNOWN_FIELD' });
    }
    const me = await call('GET', '/api/v1/auth/me', { token });
    expect(me.json().data).toMatchObject({ emailVerified: false, email: 'eve@example.com' });
  });

  it('forgot password: always 202; the mailed reset link sets a new password and ends every session', async () => {
    const { token } = await signedIn({ username: 'rupert' });
    expect(
      (await call('POST', '/api/v1/auth/forgot-password', { body: { email: 'nobody@example.com' } })).statusCode,
    ).toBe(202);
    expect(
      (await call('POST', '/api/v1/auth/forgot-password', { body: { email: 'rupert@example.com' } })).statusCode,
    ).toBe(202);
    const link = await linkFromMail('rupert@example.com', '/reset-password');
    const newPassword = strongPassword();
    const reset = await call('POST', '/api/v1/auth/reset-password', {
      body: { token: link.searchParams.get('token'), password: newPassword },
    });
    expect(reset.statusCode).toBe(200);
    expect((await call('GET', '/api/v1/auth/me', { token })).statusCode).toBe(401);
    expect((await login('rupert')).statusCode).toBe(401);
    expect((await login('rupert', newPassword)).statusCode).toBe(200);
    // The link is single use.
    const again = await call('POST', '/api/v1/auth/reset-password', {
      body: { token: link.searchParams.get('token'), password: strongPassword() },
    });
    expect(again.statusCode).toBe(400);
    expect(sink.to('nobody@example.com')).toHaveLength(0);
  });

  it('change password keeps this session and ends the others', async () => {
    const here = await signedIn({ username: 'sybil' });
    const elsewhere = await login('sybil');
    const otherToken = elsewhere.json().data.accessToken as string;
    const res = await call('POST', '/api/v1/auth/change-password', {
      token: here.token,
      body: { currentPassword: PASSWORD, newPassword: strongPassword() },
    });
    expect(res.statusCode).toBe(200);
    expect((await call('GET', '/api/v1/auth/me', { token: here.token })).statusCode).toBe(200);
    expect((await call('GET', '/api/v1/auth/me', { token: otherToken })).statusCode).toBe(401);
  });

  it('lists sessions with the current one marked, and ends another one by id', async () => {
    const first = await signedIn({ username: 'ivan' });
    const second = await login('ivan');
    const secondToken = second.json().data.accessToken as string;
    const list = await call('GET', '/api/v1/auth/sessions', { token: first.token });
    expect(list.statusCode).toBe(200);
    const sessions = list.json().data as Array<{ id: string; current: boolean }>;
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    const other = sessions.find((s) => !s.current) as { id: string };
    expect(other.id).toBe(decode(secondToken).sid);

    // Someone else's session id is not found.
    const stranger = await signedIn({ username: 'judy' });
    expect((await call('DELETE', `/api/v1/auth/sessions/${other.id}`, { token: stranger.token })).statusCode).toBe(404);

    expect((await call('DELETE', `/api/v1/auth/sessions/${other.id}`, { token: first.token })).statusCode).toBe(200);
    expect((await call('GET', '/api/v1/auth/me', { token: secondToken })).statusCode).toBe(401);
    expect((await call('GET', '/api/v1/auth/me', { token: first.token })).statusCode).toBe(200);
  });

  it('two-factor: setup, enable with a code, then sign-in needs a fresh code or a single-use recovery code', async () => {
    const { token, user } = await signedIn({ username: 'tfa' });
    const setup = await call('POST', '/api/v1/auth/2fa/setup', { token });
    expect(setup.statusCode).toBe(200);
    const { secret, otpauthUri } = setup.json().data as { secret: string; otpauthUri: string };
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/Atrium:tfa\?/);
    const totp = new TOTP({ issuer: 'Atrium', label: 'tfa', secret: Secret.fromBase32(secret) });
    const now = Date.now();

    expect((await call('POST', '/api/v1/auth/2fa/enable', { token, body: { code: '000000' } })).statusCode).toBe(400);
    const enabled = await call('POST', '/api/v1/auth/2fa/enable', {
      token,
      body: { code: totp.generate({ timestamp: now }) },
    });
    expect(enabled.statusCode).toBe(200);
    const recoveryCodes = enabled.json().data.recoveryCodes as string[];
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);

    const noCode = await login('tfa');
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().error.code).toBe(ErrorCode.TOTP_REQUIRED);
    const wrongCode = await login('tfa', PASSWORD, { totpCode: '123456' });
    expect(wrongCode.statusCode).toBe(401);
    expect(wrongCode.json().error.code).toBe(ErrorCode.TOTP_REQUIRED);
    // A wrong password stays the generic answer: the 2FA step is only reached with the password.
    expect((await login('tfa', 'not the password', { totpCode: '123456' })).json().error.code).toBe(
      ErrorCode.UNAUTHENTICATED,
    );

    const nextCode = totp.generate({ timestamp: now + 30_000 });
    expect((await login('tfa', PASSWORD, { totpCode: nextCode })).statusCode).toBe(200);
    // The same code again is a replay.
    expect((await login('tfa', PASSWORD, { totpCode: nextCode })).statusCode).toBe(401);

    expect((await login('tfa', PASSWORD, { totpCode: recoveryCodes[0] })).statusCode).toBe(200);
    expect((await login('tfa', PASSWORD, { totpCode: recoveryCodes[0] })).statusCode).toBe(401);
    expect((await call('GET', '/api/v1/auth/me', { token })).json().data.twoFactorEnabled).toBe(true);

    const disabled = await call('POST', '/api/v1/auth/2fa/disable', {
      token,
      body: { password: PASSWORD, code: recoveryCodes[1] },
    });
    expect(disabled.statusCode).toBe(200);
    expect((await login('tfa')).statusCode).toBe(200);
    const [{ count }] = await atrium.app
      .get(DataSource)
      .query<[{ count: number }]>(
        `SELECT count(*)::int AS count FROM audit_events WHERE actor_id = $1 AND action IN ('auth.2fa_enabled', 'auth.2fa_disabled')`,
        [user.id],
      );
    expect(count).toBe(2);
  });

  it('personal access tokens: shown once, scoped, kept away from account security, revocable', async () => {
    const { token: session, id: userId } = await signedIn({ username: 'integrator', verified: false });
    const body = { name: 'CI', scopes: ['profile:read'] };
    const unverified = await call('POST', '/api/v1/me/tokens', { token: session, body });
    expect(unverified.statusCode).toBe(403);
    expect(unverified.json().error.code).toBe(ErrorCode.EMAIL_NOT_VERIFIED);
    await verifyEmail(userId);

    const created = await call('POST', '/api/v1/me/tokens', { token: session, body });
    expect(created.statusCode).toBe(201);
    const { token: pat, id } = created.json().data as { token: string; id: string };
    expect(pat).toMatch(/^atr_pat_[A-Za-z0-9_-]{43}$/);

    expect((await call('GET', '/api/v1/auth/me', { token: pat })).statusCode).toBe(200);
    const write = await call('PATCH', '/api/v1/me', { token: pat, body: { bio: 'from a script' } });
    expect(write.statusCode).toBe(403);
    expect(write.json().error.code).toBe(ErrorCode.FORBIDDEN);
    for (const [method, url] of [
      ['GET', '/api/v1/me/tokens'],
      ['POST', '/api/v1/auth/logout'],
      ['GET', '/api/v1/auth/sessions'],
      ['POST', '/api/v1/auth/2fa/setup'],
    ] as const) {
      expect((await call(method, url, { token: pat })).statusCode).toBe(403);
    }
    expect(
      (
        await call('POST', '/api/v1/auth/change-password', {
          token: pat,
          body: { currentPassword: PASSWORD, newPassword: 'x' },
        })
      ).statusCode,
    ).toBe(403);

    const listed = await call('GET', '/api/v1/me/tokens', { token: session });
    expect(listed.json().data).toEqual([
      expect.objectContaining({ id, name: 'CI', scopes: ['profile:read'], lastUsedAt: expect.any(String) }),
    ]);
    expect(JSON.stringify(listed.json())).not.toContain(pat);

    expect((await call('DELETE', `/api/v1/me/tokens/${id}`, { token: session })).statusCode).toBe(200);
    expect((await call('GET', '/api/v1/auth/me', { token: pat })).statusCode).toBe(401);
  });

  it('an expired personal access token is refused', async () => {
    const { token: session } = await signedIn({ username: 'shortlived' });
    const created = await call('POST', '/api/v1/me/tokens', {
      token: session,
      body: { name: 'soon', scopes: ['profile:read'], expiresAt: new Date(Date.now() + 60_000).toISOString() },
    });
    const { token: pat, id } = created.json().data as { token: string; id: string };
    expect((await call('GET', '/api/v1/auth/me', { token: pat })).statusCode).toBe(200);
    await atrium.app
      .get(DataSource)
      .query(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [id]);
    expect((await call('GET', '/api/v1/auth/me', { token: pat })).statusCode).toBe(401);
  });

  it('DELETE /me: password-confirmed, signs out everywhere, and frees the address after the retention period', async () => {
    const { token, user } = await signedIn({ username: 'leaver' });
    expect((await call('DELETE', '/api/v1/me', { token, body: { password: 'wrong one' } })).statusCode).toBe(400);
    expect((await call('DELETE', '/api/v1/me', { token, body: { password: PASSWORD } })).statusCode).toBe(200);
    expect((await call('GET', '/api/v1/auth/me', { token })).statusCode).toBe(401);
    expect((await login('leaver')).statusCode).toBe(401);
    const again = { email: 'leaver@example.com', username: 'leaver', password: PASSWORD };
    // The username is still held (usernames are public: 409 says so).
    expect((await call('POST', '/api/v1/auth/register', { body: again })).statusCode).toBe(409);

    await atrium.app
      .get(DataSource)
      .query(`UPDATE users SET deleted_at = now() - interval '31 days' WHERE id = $1`, [user.id]);
    expect(await atrium.app.get(IdentityMaintenance).releaseDeletedIdentifiers()).toBe(1);
    expect((await call('POST', '/api/v1/auth/register', { body: again })).statusCode).toBe(202);
    expect(
      await atrium.app
        .get(DataSource)
        .query(`SELECT count(*)::int AS n FROM users WHERE username_normalized = 'leaver' AND deleted_at IS NULL`),
    ).toEqual([{ n: 1 }]);
  });

  it('rejects the next request of a deactivated user', async () => {
    const { token, user } = await signedIn({ username: 'dave' });
    await atrium.app.get(DataSource).query(`UPDATE users SET is_active = false WHERE id = $1`, [user.id]);
    expect((await call('GET', '/api/v1/auth/me', { token })).statusCode).toBe(401);
  });
});

describe('auth rate limit', () => {
  const resources = new TestResources();
  let atrium: AtriumApp;
  const call = apiClient(() => atrium);

  beforeAll(async () => {
    await resources.create();
    atrium = await startTestApp(resources, {
      AUTH_THROTTLE_LIMIT: '3',
      AUTH_THROTTLE_TTL: '60',
      THROTTLE_LIMIT: '1000',
    });
  });

  afterAll(async () => {
    await atrium?.close();
    await resources.drop();
  });

  it('limits the auth routes per client IP more strictly than the rest of the API, before any password check', async () => {
    const attempt = () => call('POST', '/api/v1/auth/login', { body: { login: 'x', password: 'guess' } });
    for (let i = 0; i < 3; i += 1) expect((await attempt()).statusCode).toBe(401);
    const limited = await attempt();
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe(ErrorCode.RATE_LIMITED);
    expect(limited.body).not.toMatch(/throttler/i);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // The headers describe the limit that was hit, not the global one.
    expect(limited.headers['x-ratelimit-limit']).toBe('3');
    expect(limited.headers['x-ratelimit-remaining']).toBe('0');
    // One budget per IP across the auth routes: another auth route is refused too.
    const other = await call('POST', '/api/v1/auth/forgot-password', { body: { email: 'x@example.com' } });
    expect(other.statusCode).toBe(429);
    // Other routes keep the global limit.
    expect((await call('GET', '/api/v1/info')).statusCode).toBe(200);
  });
});
