import Redis from 'ioredis';
import { PinoLogger } from 'nestjs-pino';
import { Client } from 'pg';
import type { AtriumApp } from '../src/bootstrap';
import { actors } from './support/actors';
import { startTestApp, TestResources } from './support/test-app';

/**
 * What the most frequent requests cost in round trips to Postgres and Redis (issue "Performance"):
 * each statement and each command is a network round trip and a socket write per request, which
 * the benchmark's profiles showed as the largest share of a request's CPU. Counted, not timed.
 */
describe('round trips of the hot paths', () => {
  const resources = new TestResources();
  let atrium: AtriumApp;
  const { call, signedIn, asAdmin } = actors(() => atrium);

  beforeAll(async () => {
    await resources.create();
    atrium = await startTestApp(resources);
  });

  afterAll(async () => {
    await atrium?.close();
    await resources.drop();
  });

  /** The SQL statements and Redis commands (by name) sent while `request` runs. */
  async function roundTrips(request: () => Promise<unknown>): Promise<{ sql: string[]; redis: string[] }> {
    // Spies call through: the requests run as they would, their calls are recorded.
    const query = jest.spyOn(Client.prototype, 'query');
    const send = jest.spyOn(Redis.prototype, 'sendCommand');
    try {
      await request();
      return {
        sql: query.mock.calls.map(([text]) => (typeof text === 'string' ? text : (text as { text: string }).text)),
        redis: send.mock.calls.map(([command]) => command.name),
      };
    } finally {
      query.mockRestore();
      send.mockRestore();
    }
  }

  it('GET /auth/me, once warm: one SQL statement (the user row) and three Redis commands', async () => {
    const ada = await signedIn();
    const me = () => call('GET', '/api/v1/auth/me', { token: ada.token });
    // Warm: the session is known live and the grants are cached.
    expect((await me()).statusCode).toBe(200);

    let status = 0;
    const { sql, redis } = await roundTrips(async () => (status = (await me()).statusCode));
    expect(status).toBe(200);
    // The row the authentication loaded is the row the answer shows: not read a second time.
    expect(sql).toHaveLength(1);
    expect(sql[0]).toMatch(/FROM "users"/);
    // The rate limit (by hash), the revocation list, and roles and permissions read once (tokens and
    // value in one script) although both the roles and the permissions are reported.
    expect(redis.sort()).toEqual(['evalsha', 'evalsha', 'exists']);
  });

  it('a request whose access line is below the log level makes no logger and serializes nothing', async () => {
    const ada = await signedIn();
    const me = () => call('GET', '/api/v1/auth/me', { token: ada.token });
    expect((await me()).statusCode).toBe(200);
    // pino's prototype, where `child` lives: a per-request logger (pino-http) would call it twice.
    let proto: object = PinoLogger.root;
    while (!Object.prototype.hasOwnProperty.call(proto, 'child')) proto = Object.getPrototypeOf(proto) as object;
    const child = jest.spyOn(proto as { child: () => unknown }, 'child');
    try {
      for (let i = 0; i < 3; i += 1) expect((await me()).statusCode).toBe(200);
      expect(child).not.toHaveBeenCalled();
    } finally {
      child.mockRestore();
    }
  });

  it("the admin users list: the page, its count and every row's roles, three statements", async () => {
    const admin = await asAdmin();
    for (let i = 0; i < 3; i += 1) await signedIn();
    const list = () => call('GET', '/api/v1/users?perPage=20', { token: admin.token });
    expect((await list()).statusCode).toBe(200);

    let body: { data: unknown[] } = { data: [] };
    const { sql } = await roundTrips(async () => (body = (await list()).json()));
    expect(body.data.length).toBeGreaterThanOrEqual(4);
    expect(sql).toHaveLength(3);
  });
});
