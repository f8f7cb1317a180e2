import { DataSource } from 'typeorm';
import { ErrorCode } from '@atrium/contracts';
import type { AtriumApp } from '../src/bootstrap';
import { actors } from './support/actors';
import { PASSWORD, unique } from './support/factories';
import { SmtpSink } from './support/smtp-sink';
import { startTestApp, TestResources } from './support/test-app';
import { TEST_REDIS_URL } from './support/test-env';
import { waitFor } from './support/wait-for';
import { WorkerProcess } from './support/worker-process';

const APP_URL = 'https://app.atrium.test';

/**
 * Changing the email address (a link to the new address, a notice to the old one) and the username
 * (the old one reserved for its owner for 30 days), end to end: the API enqueues mail, a worker
 * delivers it to an SMTP server in this process.
 */
describe('account changes: email address and username', () => {
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
    LOCKOUT_THRESHOLD: '3',
    AUTH_THROTTLE_LIMIT: '1000',
  });

  const { call, signedIn, login } = actors(() => atrium);
  const sql = <T = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> =>
    atrium.app.get(DataSource).query(text, values);

  /** Mails to `to` whose subject matches, once at least `count` arrived. */
  const mailsTo = async (to: string, subject: RegExp, count = 1) => {
    const found = () => sink.to(to).filter((mail) => subject.test(mail.parsed.subject ?? ''));
    return waitFor(found, (mails) => mails.length >= count);
  };
  const tokenFrom = (text: string): string => {
    const match = new RegExp(`${APP_URL}/confirm-email\\?token=([A-Za-z0-9_-]+)`).exec(text);
    if (!match) throw new Error(`no /confirm-email link in: ${text.slice(0, 300)}`);
    return match[1];
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

  it('moves the account only once the link mailed to the new address is followed, telling the old address twice', async () => {
    const ada = await signedIn();
    const newEmail = `${unique('ada-new')}@example.org`;
    // A verification link mailed at sign-up: it must end with the move.
    const [verifyRow] = await sql<{ count: string }>(
      `SELECT count(*) FROM email_tokens WHERE user_id = $1 AND used_at IS NULL`,
      [ada.id],
    );
    expect(Number(verifyRow.count)).toBeGreaterThan(0);

    const asked = await call('POST', '/api/v1/me/email', {
      token: ada.token,
      body: { email: newEmail, password: PASSWORD },
    });
    expect(asked.statusCode).toBe(202);

    const [confirmation] = await mailsTo(newEmail, /confirm the new email address/i);
    const token = tokenFrom(String(confirmation.parsed.text));
    expect(String(confirmation.parsed.text)).toContain('expires in 24 hours');
    const [notice] = await mailsTo(ada.email, /asked to move your Atrium account/i);
    const noticeText = String(notice.parsed.text);
    expect(noticeText).toMatch(/a\*\*\*@e\*\*\*\.org/);
    expect(noticeText).not.toContain(newEmail);
    expect(noticeText).not.toContain(token);

    // Nothing changed yet: the old address still signs in, the new one does not.
    expect((await call('GET', '/api/v1/auth/me', { token: ada.token })).json().data.email).toBe(ada.email);
    expect((await login(newEmail)).statusCode).toBe(401);

    // Public: the link may be opened in another browser.
    const confirmed = await call('POST', '/api/v1/auth/confirm-email-change', { body: { token } });
    expect(confirmed.statusCode).toBe(200);
    const me = (await call('GET', '/api/v1/auth/me', { token: ada.token })).json().data;
    expect(me).toMatchObject({ email: newEmail, emailVerified: true });
    expect((await login(newEmail)).statusCode).toBe(200);
    expect((await login(ada.email)).statusCode).toBe(401);

    // Single use; every other mailed link of the account ended.
    const again = await call('POST', '/api/v1/auth/confirm-email-change', { body: { token } });
    expect(again.statusCode).toBe(400);
    const [open] = await sql<{ count: string }>(
      `SELECT count(*) FROM email_tokens WHERE user_id = $1 AND used_at IS NULL`,
      [ada.id],
    );
    expect(Number(open.count)).toBe(0);

    const [changed] = await mailsTo(ada.email, /moved to another email address/i);
    expect(String(changed.parsed.text)).toMatch(/a\*\*\*@e\*\*\*\.org/);
    const audit = await sql<{ action: string }>(`SELECT action FROM audit_events WHERE target = $1`, [
      `user:${ada.id}`,
    ]);
    expect(audit.map((row) => row.action)).toEqual(
      expect.arrayContaining(['user.email_change_requested', 'user.email_changed']),
    );
  });

  it('answers an address of another account the same 202 and mails that address nothing', async () => {
    const owner = await signedIn();
    const asker = await signedIn();
    const free = `${unique('free')}@example.org`;
    const toTaken = await call('POST', '/api/v1/me/email', {
      token: asker.token,
      body: { email: owner.email.toUpperCase(), password: PASSWORD },
    });
    const other = await signedIn();
    const toFree = await call('POST', '/api/v1/me/email', {
      token: other.token,
      body: { email: free, password: PASSWORD },
    });
    expect(toTaken.statusCode).toBe(202);
    expect(toTaken.json().data).toEqual(toFree.json().data);

    // The asker's own address is told; the owner of the taken one hears nothing.
    await mailsTo(asker.email, /asked to move your Atrium account/i);
    await mailsTo(free, /confirm the new email address/i);
    expect(sink.to(owner.email).filter((mail) => /new email address|move/i.test(mail.parsed.subject ?? ''))).toEqual(
      [],
    );
  });

  it('answers 409 when the address was taken between the request and the confirmation', async () => {
    const ada = await signedIn();
    const wanted = `${unique('race')}@example.org`;
    await call('POST', '/api/v1/me/email', { token: ada.token, body: { email: wanted, password: PASSWORD } });
    const [mail] = await mailsTo(wanted, /confirm the new email address/i);
    await signedIn({ email: wanted });
    const res = await call('POST', '/api/v1/auth/confirm-email-change', {
      body: { token: tokenFrom(String(mail.parsed.text)) },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe(ErrorCode.CONFLICT);
    expect((await call('GET', '/api/v1/auth/me', { token: ada.token })).json().data.email).toBe(ada.email);
  });

  it('checks the password under the lockout and refuses unknown fields', async () => {
    const ada = await signedIn();
    const body = { email: `${unique('x')}@example.org`, password: 'not the password at all' };
    for (let i = 0; i < 3; i += 1) {
      const wrong = await call('POST', '/api/v1/me/email', { token: ada.token, body });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().error.details[0]).toMatchObject({ field: 'password', code: 'WRONG_PASSWORD' });
    }
    const locked = await call('POST', '/api/v1/me/email', { token: ada.token, body: { ...body, password: PASSWORD } });
    expect(locked.statusCode).toBe(423);
    expect(locked.json().error.code).toBe(ErrorCode.ACCOUNT_LOCKED);

    const extra = await call('POST', '/api/v1/me/email', {
      token: ada.token,
      body: { email: `${unique('y')}@example.org`, password: PASSWORD, emailVerified: true },
    });
    expect(extra.statusCode).toBe(400);
  });

  it('changes the username; the old one stays reserved for its owner for 30 days', async () => {
    const ada = await signedIn();
    const oldName = ada.username;
    const newName = unique('renamed');

    const changed = await call('PUT', '/api/v1/me/username', { token: ada.token, body: { username: newName } });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().data.username).toBe(newName);
    expect((await call('GET', `/api/v1/profiles/${oldName}`)).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/profiles/${newName}`)).statusCode).toBe(200);

    // Nobody else takes the old name: neither by a rename nor by signing up.
    const bob = await signedIn();
    const grab = await call('PUT', '/api/v1/me/username', {
      token: bob.token,
      body: { username: oldName.toUpperCase() },
    });
    expect(grab.statusCode).toBe(409);
    expect(grab.json().error.details?.[0]).toMatchObject({ field: 'username', code: 'TAKEN' });
    const signUp = await call('POST', '/api/v1/auth/register', {
      body: { email: `${unique('s')}@example.com`, username: oldName, password: PASSWORD },
    });
    expect(signUp.statusCode).toBe(409);
    // A name held by another account is taken too.
    const held = await call('PUT', '/api/v1/me/username', { token: bob.token, body: { username: newName } });
    expect(held.statusCode).toBe(409);

    // The owner takes it back; then the name they leave is reserved in turn.
    const back = await call('PUT', '/api/v1/me/username', { token: ada.token, body: { username: oldName } });
    expect(back.statusCode).toBe(200);
    expect((await call('GET', `/api/v1/profiles/${oldName}`)).statusCode).toBe(200);
    expect(
      (await call('PUT', '/api/v1/me/username', { token: bob.token, body: { username: newName } })).statusCode,
    ).toBe(409);

    // After 30 days the reservation is over.
    await sql(`UPDATE username_reservations SET until = now() - interval '1 second' WHERE user_id = $1`, [ada.id]);
    expect(
      (await call('PUT', '/api/v1/me/username', { token: bob.token, body: { username: newName } })).statusCode,
    ).toBe(200);
  });

  it('keeps mass assignment refused: PATCH /me takes no username or email', async () => {
    const ada = await signedIn();
    for (const [field, value] of [
      ['username', unique('sneaky')],
      ['email', `${unique('z')}@example.org`],
    ]) {
      const res = await call('PATCH', '/api/v1/me', { token: ada.token, body: { [field]: value } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details[0]).toMatchObject({ field, code: 'UNKNOWN_FIELD' });
    }
    const me = (await call('GET', '/api/v1/auth/me', { token: ada.token })).json().data;
    expect(me).toMatchObject({ username: ada.username, email: ada.email });
    const bad = await call('PUT', '/api/v1/me/username', {
      token: ada.token,
      body: { username: 'no spaces allowed' },
    });
    expect(bad.statusCode).toBe(400);
  });
});
