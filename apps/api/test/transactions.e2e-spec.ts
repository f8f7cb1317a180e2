import { Client } from 'pg';
import type { AtriumApp } from '../src/bootstrap';
import { OutboxRelay } from '../src/events/outbox.relay';
import { JobsService } from '../src/jobs/jobs.service';
import { startTestApp, TestResources } from './support/test-app';

const PASSWORD = 'copper meadow violin 58';

/**
 * Use cases that write several rows are one transaction, and their events are delivered only
 * after it commits (through the outbox): a failed write leaves nothing behind, a failed
 * follow-up (the mail queue) never turns a committed write into an error.
 */
describe('transactions and events after commit', () => {
  const resources = new TestResources();
  let atrium: AtriumApp;

  const call = async (method: 'GET' | 'POST', url: string, payload?: object, token?: string) => {
    const res = await atrium.app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method,
        url,
        payload,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    return { status: res.statusCode, body: res.json() };
  };

  const sql = async (text: string, values: unknown[] = []) => {
    const client = new Client({ connectionString: resources.databaseUrl });
    await client.connect();
    try {
      return (await client.query(text, values)).rows;
    } finally {
      await client.end();
    }
  };

  const register = (name: string) =>
    call('POST', '/api/v1/auth/register', { email: `${name}@example.com`, username: name, password: PASSWORD });

  beforeAll(async () => {
    await resources.create();
    atrium = await startTestApp(resources, { AUTH_THROTTLE_LIMIT: '1000' });
  });

  afterAll(async () => {
    await atrium?.close();
    await resources.drop();
  });

  it('register leaves nothing behind when its transaction fails at the end', async () => {
    // The outbox write is the last statement of the sign-up transaction: make it fail.
    await sql(`ALTER TABLE outbox_events ADD CONSTRAINT test_refuses CHECK (false) NOT VALID`);
    try {
      const res = await register('rollback');
      expect(res.status).toBe(500);
      expect(res.body.error.code).toBe('INTERNAL_ERROR');
    } finally {
      await sql(`ALTER TABLE outbox_events DROP CONSTRAINT test_refuses`);
    }
    expect(await sql(`SELECT id FROM users WHERE username_normalized = 'rollback'`)).toEqual([]);
    expect(await sql(`SELECT id FROM email_tokens`)).toEqual([]);
    expect(await sql(`SELECT id FROM audit_events WHERE action = 'user.registered'`)).toEqual([]);
    // The same sign-up succeeds afterwards: nothing half-made blocks the address.
    expect((await register('rollback')).status).toBe(201);
  });

  it('a mail queue that refuses the job does not fail the sign-up; the outbox delivers it later', async () => {
    const jobs = atrium.app.get(JobsService);
    const enqueue = jest.spyOn(jobs, 'enqueue').mockRejectedValue(new Error('queue down'));
    let res;
    try {
      res = await register('queued');
    } finally {
      enqueue.mockRestore();
    }
    expect(res.status).toBe(201);
    const [pending] = await sql(
      `SELECT id, attempts FROM outbox_events WHERE name = 'user.registered' AND last_error IS NOT NULL`,
    );
    expect(pending.attempts).toBe(1);
    // The relay retries once the backoff has passed: pretend it has.
    await sql(`UPDATE outbox_events SET available_at = now() WHERE id = $1`, [pending.id]);
    const delivered = jest.spyOn(jobs, 'enqueue');
    await atrium.app.get(OutboxRelay).drain();
    expect(delivered).toHaveBeenCalledWith(
      'mail.send',
      expect.objectContaining({ to: 'queued@example.com', template: 'verify-email' }),
      expect.anything(),
    );
    delivered.mockRestore();
    expect(await sql(`SELECT id FROM outbox_events WHERE id = $1`, [pending.id])).toEqual([]);
  });

  it('the users list runs the same number of queries for a page of 5 and of 50', async () => {
    for (let i = 0; i < 50; i += 1) expect((await register(`bulk${i}`)).status).toBe(201);
    await sql(`INSERT INTO user_roles (id, user_id, role_id)
                 SELECT gen_random_uuid(), u.id, r.id FROM users u, roles r
                  WHERE u.username_normalized = 'bulk0' AND r.name = 'admin'`);
    const login = await call('POST', '/api/v1/auth/login', { login: 'bulk0', password: PASSWORD });
    const token = login.body.data.accessToken as string;
    await call('GET', '/api/v1/users?perPage=1', undefined, token); // warms the ability cache

    const queriesFor = async (url: string): Promise<number> => {
      const spy = jest.spyOn(Client.prototype, 'query');
      try {
        const res = await call('GET', url, undefined, token);
        expect(res.status).toBe(200);
        return spy.mock.calls.length;
      } finally {
        spy.mockRestore();
      }
    };
    const small = await queriesFor('/api/v1/users?perPage=5');
    const large = await queriesFor('/api/v1/users?perPage=50');
    expect(large).toBe(small);
    expect(small).toBeLessThanOrEqual(6);
  });
});
