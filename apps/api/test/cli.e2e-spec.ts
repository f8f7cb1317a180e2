import { execFile, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import type { AtriumApp } from '../src/bootstrap';
import { actors } from './support/actors';
import { startTestApp, TestResources } from './support/test-app';
import { TEST_REDIS_URL } from './support/test-env';

const run = promisify(execFile);
const CLI = resolve(__dirname, '../dist/cli.js');
const ADMIN_PASSWORD = 'granite harbour lantern 19';

/**
 * The operator commands go through the API's own services: `create-admin` makes the account
 * through the one account-creation path, `assign-role` through the roles service — and a running
 * API sees the change on its next request (the shared cache is invalidated).
 */
describe('CLI account commands', () => {
  const resources = new TestResources();
  let atrium: AtriumApp;

  const cli = async (args: string[], env: Record<string, string> = {}) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
        env: {
          PATH: process.env.PATH ?? '',
          NODE_ENV: 'test',
          LOG_LEVEL: 'silent',
          DATABASE_URL: resources.databaseUrl,
          REDIS_URL: TEST_REDIS_URL,
          REDIS_PREFIX: resources.redisPrefix,
          ...env,
        },
        timeout: 60_000,
      });
      return { code: 0, out: stdout + stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, out: failed.stdout + failed.stderr };
    }
  };

  const { call, register, signIn } = actors(() => atrium);
  const rolesOf = async (token: string): Promise<string[]> =>
    (await call('GET', '/api/v1/auth/me', { token })).json().data.roles;

  beforeAll(async () => {
    await resources.create();
    atrium = await startTestApp(resources);
  });

  afterAll(async () => {
    await atrium?.close();
    await resources.drop();
  });

  it('create-admin without a password and without a terminal fails loudly (exit 1, says how), creating nothing', async () => {
    const args = ['create-admin', '--email', 'headless@example.com', '--username', 'headless'];
    const env = {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: resources.databaseUrl,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: resources.redisPrefix,
    };
    // stdin a pipe nobody writes to or closes (a script, CI): no prompt to wait on.
    const started = Date.now();
    const piped = await cli(args);
    expect(piped.code).toBe(1);
    expect(piped.out).toMatch(/create-admin needs a password: set ADMIN_PASSWORD/);
    expect(piped.out).not.toMatch(/Password for the new admin/);
    expect(Date.now() - started).toBeLessThan(30_000);

    // stdin closed (/dev/null, a container without -i).
    const closed = await new Promise<{ code: number | null; out: string }>((resolveRun) => {
      const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('close', (code) => resolveRun({ code, out }));
    });
    expect(closed.code).toBe(1);
    expect(closed.out).toMatch(/set ADMIN_PASSWORD/);

    const [{ count }] = await atrium.app
      .get(DataSource)
      .query<Array<{ count: string }>>(`SELECT count(*) FROM users WHERE email = 'headless@example.com'`);
    expect(Number(count)).toBe(0);
  });

  it('create-admin refuses a weak password, creates the admin once, then changes nothing', async () => {
    const weak = await cli(['create-admin', '--email', 'root@example.com', '--username', 'root'], {
      ADMIN_PASSWORD: 'password1',
    });
    expect(weak.code).toBe(1);
    expect(weak.out).toMatch(/too weak/i);

    const created = await cli(['create-admin', '--email', 'root@example.com', '--username', 'root'], {
      ADMIN_PASSWORD,
    });
    expect(created).toMatchObject({ code: 0 });
    expect(created.out).toMatch(/Admin root@example.com created/);

    const { token } = await signIn('root', ADMIN_PASSWORD);
    const me = (await call('GET', '/api/v1/auth/me', { token })).json().data;
    expect(me.roles).toEqual(expect.arrayContaining(['admin', 'user']));
    expect(me.emailVerified).toBe(true);

    const again = await cli(['create-admin', '--email', 'other@example.com', '--username', 'other'], {
      ADMIN_PASSWORD,
    });
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/An active admin exists already/);
  });

  it('assign-role grants a role that a running API honours on the next request', async () => {
    const edith = await register();
    const { token } = await signIn(edith.username, edith.password);
    expect(await rolesOf(token)).toEqual(['user']);

    const granted = await cli(['assign-role', edith.username, 'editor']);
    expect(granted).toMatchObject({ code: 0 });
    expect(await rolesOf(token)).toEqual(['editor', 'user']);

    const unknown = await cli(['assign-role', 'nobody', 'editor']);
    expect(unknown.code).toBe(1);
    expect(unknown.out).toMatch(/No such user "nobody"/);
  });
});
