import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { AtriumApp } from '../src/bootstrap';
import { JobsService } from '../src/jobs/jobs.service';
import { PasswordResetJob } from '../src/modules/identity/password-reset.job';
import { actors } from './support/actors';
import { newAccount, strongPassword } from './support/factories';
import { startTestApp, TestResources } from './support/test-app';

/**
 * What answers reveal about who has an account (decision 53), and what a stranger can do to
 * someone else's account with wrong passwords (decision 52).
 */
describe('account privacy and lockout abuse', () => {
  const resources = new TestResources();
  let atrium: AtriumApp;
  const { call, register } = actors(() => atrium);
  const sql = <T = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> =>
    atrium.app.get(DataSource).query(text, values);
  /** Sign-in from a given client address (TRUST_PROXY is on here, as behind the production proxy). */
  const loginFrom = (ip: string, login: string, password: string) =>
    call('POST', '/api/v1/auth/login', { body: { login, password }, headers: { 'x-forwarded-for': ip } });

  beforeAll(async () => {
    await resources.create();
    atrium = await startTestApp(resources, {
      LOCKOUT_THRESHOLD: '3',
      TRUST_PROXY: 'true',
      AUTH_THROTTLE_LIMIT: '1000',
    });
  });

  afterAll(async () => {
    await atrium?.close();
    await resources.drop();
  });

  it('sign-up answers a taken address exactly as a new one, creates nothing and mails the owner instead', async () => {
    const owner = await register();
    const enqueue = jest.spyOn(atrium.app.get(JobsService), 'enqueue');
    try {
      const fresh = await call('POST', '/api/v1/auth/register', { body: newAccount() });
      const taken = await call('POST', '/api/v1/auth/register', {
        body: newAccount({ email: owner.email.toUpperCase() }),
      });
      expect([fresh.statusCode, taken.statusCode]).toEqual([202, 202]);
      expect(taken.json().data).toEqual(fresh.json().data);
      expect(Object.keys(taken.headers).sort()).toEqual(Object.keys(fresh.headers).sort());
      // The owner hears about it; the one who typed the address learns nothing.
      expect(enqueue).toHaveBeenCalledWith(
        'mail.send',
        expect.objectContaining({ to: owner.email, template: 'account-exists' }),
        expect.anything(),
      );
    } finally {
      enqueue.mockRestore();
    }
    const holders = await sql(`SELECT id FROM users WHERE email_normalized = $1`, [owner.email.toLowerCase()]);
    expect(holders).toEqual([{ id: owner.id }]);
  });

  it('forgot-password does the same work for a known and an unknown address; the lookup happens in a job', async () => {
    const known = await register();
    const queriesFor = async (email: string): Promise<number> => {
      const spy = jest.spyOn(Client.prototype, 'query');
      try {
        const res = await call('POST', '/api/v1/auth/forgot-password', { body: { email } });
        expect(res.statusCode).toBe(202);
        return spy.mock.calls.length;
      } finally {
        spy.mockRestore();
      }
    };
    const forKnown = await queriesFor(known.email);
    const forUnknown = await queriesFor(`nobody-${Date.now()}@example.com`);
    expect(forKnown).toBe(forUnknown);
    // Nothing was looked up or issued during the request; the job does it.
    const tokens = () =>
      sql(`SELECT id FROM email_tokens WHERE user_id = $1 AND purpose = 'reset_password'`, [known.id]);
    expect(await tokens()).toEqual([]);
    await atrium.app.get(PasswordResetJob).sendLink(known.email.toLowerCase());
    expect(await tokens()).toHaveLength(1);
  });

  it('an unknown login is locked exactly like a real one, so 423 reveals nothing', async () => {
    const real = await register();
    for (const login of [real.username, `ghost-${Date.now()}`]) {
      for (let i = 0; i < 3; i += 1) {
        expect((await loginFrom('203.0.113.10', login, `wrong guess ${i}`)).statusCode).toBe(401);
      }
      const locked = await loginFrom('203.0.113.10', login, 'and another');
      expect({ login, status: locked.statusCode, code: locked.json().error.code }).toEqual({
        login,
        status: 423,
        code: 'ACCOUNT_LOCKED',
      });
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    }
  });

  it('a stranger guessing from one address locks out only that address, not the owner', async () => {
    const victim = await register();
    for (let i = 0; i < 5; i += 1) await loginFrom('198.51.100.66', victim.username, `guess ${i}`);
    expect((await loginFrom('198.51.100.66', victim.username, victim.password)).statusCode).toBe(423);
    // The owner, elsewhere, signs in as usual.
    expect((await loginFrom('192.0.2.1', victim.username, victim.password)).statusCode).toBe(200);
  });

  it('guesses spread over many addresses lock the account for everyone; the reset mail ends the lock', async () => {
    const victim = await register();
    // LOCKOUT_THRESHOLD 3 per address, ten times that for the account: ten addresses, three guesses each.
    for (let host = 1; host <= 10; host += 1) {
      for (let i = 0; i < 3; i += 1) await loginFrom(`198.18.0.${host}`, victim.username, `guess ${host}-${i}`);
    }
    expect((await loginFrom('192.0.2.2', victim.username, victim.password)).statusCode).toBe(423);
    const [audit] = await sql(`SELECT action FROM audit_events WHERE action = 'auth.account_locked' AND target = $1`, [
      `user:${victim.id}`,
    ]);
    expect(audit).toEqual({ action: 'auth.account_locked' });

    // The owner asks for a reset link and uses it: every lock of the account ends.
    const enqueue = jest.spyOn(atrium.app.get(JobsService), 'enqueue');
    let resetUrl: string;
    try {
      await atrium.app.get(PasswordResetJob).sendLink(victim.email.toLowerCase());
      const mail = enqueue.mock.calls.find(([, job]) => (job as { template?: string }).template === 'reset-password');
      resetUrl = (mail?.[1] as { variables: { resetUrl: string } }).variables.resetUrl;
    } finally {
      enqueue.mockRestore();
    }
    const password = strongPassword();
    const reset = await call('POST', '/api/v1/auth/reset-password', {
      body: { token: new URL(resetUrl).searchParams.get('token'), password },
    });
    expect(reset.statusCode).toBe(200);
    expect((await loginFrom('192.0.2.2', victim.username, password)).statusCode).toBe(200);
  });
});
