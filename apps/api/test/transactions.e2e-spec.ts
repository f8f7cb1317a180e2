import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { AtriumApp } from '../src/bootstrap';
import { requestContext } from '../src/common/context/request-context';
import { OutboxRelay } from '../src/events/outbox.relay';
import { JobsService } from '../src/jobs/jobs.service';
import { actors } from './support/actors';
import { newAccount } from './support/factories';
import { startTestApp, TestResources } from './support/test-app';

/**
 * Use cases that write several rows are one transaction, and their events are delivered only
 * after it commits (through the outbox): a failed write leaves nothing behind, a failed
 * follow-up (the mail queue) never turns a committed write into an error.
 */
describe('transactions and events after commit', () => {
  const resources = new TestResources();
  let atrium: AtriumApp;
  const { call, asAdmin } = actors(() => atrium);
  const sql = (text: string, values: unknown[] = []) => atrium.app.get(DataSource).query(text, values);
  const register = (username: string) =>
    call('POST', '/api/v1/auth/register', { body: newAccount({ username, email: `${username}@example.com` }) });

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
      expect(res.statusCode).toBe(500);
      expect(res.json().error.code).toBe('INTERNAL_ERROR');
    } finally {
      await sql(`ALTER TABLE outbox_events DROP CONSTRAINT test_refuses`);
    }
    expect(await sql(`SELECT id FROM users WHERE username_normalized = 'rollback'`)).toEqual([]);
    expect(await sql(`SELECT id FROM email_tokens`)).toEqual([]);
    expect(await sql(`SELECT id FROM audit_events WHERE action = 'user.registered'`)).toEqual([]);
    // The same sign-up succeeds afterwards: nothing half-made blocks the address.
    expect((await register('rollback')).statusCode).toBe(202);
  });

  it('a mail queue that refuses the job does not fail the sign-up; the outbox delivers it later', async () => {
    const jobs = atrium.app.get(JobsService);
    const enqueue = jest.spyOn(jobs, 'enqueue').mockRejectedValue(new Error('queue down'));
    let status: number;
    try {
      status = (await register('queued')).statusCode;
    } finally {
      enqueue.mockRestore();
    }
    expect(status).toBe(202);
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

  it('a message its process never delivered (it died after the commit) waits out its lease, then a poller delivers it', async () => {
    const relay = atrium.app.get(OutboxRelay);
    const jobs = atrium.app.get(JobsService);
    // The process that wrote the message "dies" after the commit: its own delivery never runs.
    const deliver = jest.spyOn(relay, 'deliver').mockResolvedValue(undefined);
    let status: number;
    try {
      status = (await register('orphan')).statusCode;
    } finally {
      deliver.mockRestore();
    }
    expect(status).toBe(202);
    // Written already claimed by its process (no claim statement after the commit), for the lease.
    const rows = await sql(
      `SELECT id, attempts, available_at > now() + interval '50 seconds' AS leased FROM outbox_events
        WHERE name = 'user.registered'`,
    );
    expect(rows).toEqual([{ id: expect.any(String), attempts: 1, leased: true }]);
    const verifyMail = ['mail.send', expect.objectContaining({ to: 'orphan@example.com' }), expect.anything()];
    const enqueue = jest.spyOn(jobs, 'enqueue');
    try {
      // The pollers (this replica's or another's) leave it to its process while the lease runs…
      await relay.drain();
      expect(enqueue).not.toHaveBeenCalledWith(...verifyMail);
      // …and deliver it once the lease is over: pretend it is.
      await sql(`UPDATE outbox_events SET available_at = now() WHERE id = $1`, [rows[0].id]);
      await relay.drain();
      expect(enqueue).toHaveBeenCalledWith(...verifyMail);
    } finally {
      enqueue.mockRestore();
    }
    expect(await sql(`SELECT id FROM outbox_events WHERE id = $1`, [rows[0].id])).toEqual([]);
  });

  it('the users list runs the same number of queries for a page of 5 and of 50', async () => {
    for (let i = 0; i < 50; i += 1) expect((await register(`bulk${i}`)).statusCode).toBe(202);
    const { token } = await asAdmin();
    await call('GET', '/api/v1/users', { token, query: { perPage: 1 } }); // warms the ability cache

    const queriesFor = async (perPage: number): Promise<number> => {
      // The request's own statements: not a poll of the outbox relay or the view buffer in the same moment.
      let statements = 0;
      const query = Object.getOwnPropertyDescriptor(Client.prototype, 'query')!.value as (...a: unknown[]) => unknown;
      const spy = jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client, ...args: unknown[]) {
        if (requestContext.current()) statements += 1;
        return query.apply(this, args) as never;
      });
      try {
        const res = await call('GET', '/api/v1/users', { token, query: { perPage } });
        expect(res.statusCode).toBe(200);
        expect(res.json().data).toHaveLength(perPage);
        return statements;
      } finally {
        spy.mockRestore();
      }
    };
    const small = await queriesFor(5);
    const large = await queriesFor(50);
    expect(large).toBe(small);
    expect(small).toBeGreaterThan(0);
    expect(small).toBeLessThanOrEqual(6);
  });
});
