import 'reflect-metadata';
import { DependencyStatus, ErrorCode, ReadinessStatus, RuntimeMode } from '@atrium/contracts';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, lstat, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AtriumApp, createApp } from '../src/bootstrap';
import { DEV_JWT_ACCESS_SECRET, SECRETS_FILE } from '../src/config/app-config';
import { loadConfigFromEnvironment } from '../src/config/config.module';
import { EmbeddedPostgres } from '../src/database/embedded-postgres';
import { actors, claimsOf } from './support/actors';
import { apiClient } from './support/api';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Embedded mode as `npm start` runs it without services: no DATABASE_URL, no REDIS_URL, data under DATA_DIR. */
async function startEmbedded(dataDir: string, env: Record<string, string | undefined> = {}): Promise<AtriumApp> {
  const atrium = await createApp(
    loadConfigFromEnvironment({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: undefined,
      REDIS_URL: undefined,
      DATA_DIR: dataDir,
      SERVE_SPA: 'false',
      THROTTLE_LIMIT: '1000',
      ...env,
    }),
  );
  await atrium.app.getHttpAdapter().getInstance().ready();
  return atrium;
}

async function info(atrium: AtriumApp) {
  const res = await apiClient(atrium)('GET', '/api/v1/info');
  expect(res.statusCode).toBe(200);
  return res.json().data as { mode: string; instance: { id: string; installedAt: string; bootCount: number } };
}

describe('embedded mode (PGlite, no Redis)', () => {
  let dataDir: string;
  let atrium: AtriumApp | undefined;
  const call = apiClient(() => atrium as AtriumApp);

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'atrium-embedded-'));
    atrium = await startEmbedded(dataDir);
  });

  afterAll(async () => {
    await atrium?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts a migrated database under DATA_DIR/pg and reports ready without Redis', async () => {
    expect(existsSync(join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);

    const res = await call('GET', '/readiness');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toEqual({
      status: ReadinessStatus.READY,
      mode: RuntimeMode.EMBEDDED,
      timestamp: expect.stringMatching(ISO),
      // Other dependencies (queues, …) may be checked too; these three are what embedded mode changes.
      checks: expect.objectContaining({
        database: { status: DependencyStatus.UP, latencyMs: expect.any(Number), pendingMigrations: 0 },
        redis: { status: DependencyStatus.NOT_CONFIGURED },
        disk: { status: DependencyStatus.UP, freeGb: expect.any(Number), path: dataDir },
      }),
    });
  });

  it("keeps PGlite's buffer cache at 16 MB of the process's memory, not Postgres's 128 MB", async () => {
    // Its pages live in WebAssembly memory, which never shrinks (decision 93).
    const [{ shared_buffers: buffers }] = await (atrium as AtriumApp).app.get(DataSource).query(`SHOW shared_buffers`);
    expect(buffers).toBe('16MB');
  });

  it('GET /api/v1/info reports embedded mode and the first boot of a new installation', async () => {
    const res = await call('GET', '/api/v1/info');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.data).toEqual({
      name: 'Atrium',
      // Named at first-run setup; a new installation has none yet.
      siteName: null,
      version: (atrium as AtriumApp).config.version,
      mode: RuntimeMode.EMBEDDED,
      instance: { id: expect.stringMatching(UUID), installedAt: expect.stringMatching(ISO), bootCount: 1 },
    });
    expect((await call('GET', '/metrics')).body).toMatch(/^app_info\{[^}]*mode="embedded"[^}]*\} 1$/m);
  });

  it('caches the instance in memory: /info does not read the database again for every call', async () => {
    const app = (atrium as AtriumApp).app;
    const dataSource = app.get(DataSource);
    const before = await info(atrium as AtriumApp);
    await dataSource.query(`UPDATE "system_instance" SET "boot_count" = 41`);
    try {
      // Still the value cached at boot: the cache works without Redis.
      expect((await info(atrium as AtriumApp)).instance).toEqual(before.instance);
    } finally {
      await dataSource.query(`UPDATE "system_instance" SET "boot_count" = $1`, [before.instance.bootCount]);
    }
  });

  it('keeps its data across a restart on the same DATA_DIR', async () => {
    const first = await info(atrium as AtriumApp);
    await (atrium as AtriumApp).close();
    atrium = undefined;

    atrium = await startEmbedded(dataDir);
    const second = await info(atrium);
    expect(second.mode).toBe(RuntimeMode.EMBEDDED);
    expect(second.instance).toEqual({ id: first.instance.id, installedAt: first.instance.installedAt, bootCount: 2 });

    // Every migration was applied on the first boot and none is applied twice.
    const readiness = (await call('GET', '/readiness')).json();
    expect(readiness.checks.database).toEqual(
      expect.objectContaining({ status: DependencyStatus.UP, pendingMigrations: 0 }),
    );
  });
});

describe('embedded mode rate limiting', () => {
  let dataDir: string;
  let atrium: AtriumApp | undefined;
  const call = apiClient(() => atrium as AtriumApp);

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'atrium-embedded-rl-'));
    atrium = await startEmbedded(dataDir, { THROTTLE_LIMIT: '3', THROTTLE_TTL: '60' });
  });

  afterAll(async () => {
    await atrium?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('counts in memory without Redis: 429 RATE_LIMITED in the error envelope past the limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await call('GET', '/api/v1/info')).statusCode);
    expect(statuses).toEqual([200, 200, 200]);

    const limited = await call('GET', '/api/v1/info', { headers: { 'x-request-id': 'emb-rl-1' } });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json()).toEqual({
      status: 'error',
      error: { code: ErrorCode.RATE_LIMITED, message: expect.any(String) },
      meta: { requestId: 'emb-rl-1', timestamp: expect.stringMatching(ISO) },
    });

    // Probes are never throttled, also with the in-memory store.
    for (let i = 0; i < 5; i++) {
      expect((await call('GET', '/readiness')).statusCode).toBe(200);
    }
  });
});

/** Where the app's connection pool reaches PGlite: a socket directory (Unix socket) or a TCP host. */
function databaseTarget(atrium: AtriumApp): { host: string; port: number } {
  const url = new URL(String((atrium.app.get(DataSource).options as { url?: string }).url));
  return { host: decodeURIComponent(url.hostname), port: Number(url.port || 5432) };
}

/**
 * Connects to `target` as a process of user `uid` would, with a startup message for user "mallory"
 * and any password asked for: `connected`, and `authenticated` when the server let it in.
 */
function connectAs(
  uid: number,
  target: { host: string; port: number },
): Promise<{ connected: boolean; authenticated?: boolean; code?: string }> {
  const script = `
    const net = require('node:net');
    const [host, port] = [process.argv[1], Number(process.argv[2])];
    const done = (result) => { process.stdout.write(JSON.stringify(result)); process.exit(0); };
    const socket = host.startsWith('/') ? net.connect({ path: host + '/.s.PGSQL.' + port }) : net.connect({ host, port });
    let connected = false;
    let buffer = Buffer.alloc(0);
    socket.on('error', (error) => done({ connected, code: error.code }));
    socket.on('connect', () => {
      connected = true;
      const params = Buffer.from('user\\0mallory\\0database\\0postgres\\0\\0');
      const head = Buffer.alloc(8);
      head.writeInt32BE(8 + params.length, 0);
      head.writeInt32BE(196608, 4);
      socket.write(Buffer.concat([head, params]));
    });
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 5 && buffer.length >= 1 + buffer.readInt32BE(1)) {
        const type = String.fromCharCode(buffer[0]);
        const body = buffer.subarray(5, 1 + buffer.readInt32BE(1));
        buffer = buffer.subarray(1 + buffer.readInt32BE(1));
        if (type === 'E') done({ connected, authenticated: false });
        if (type !== 'R') continue;
        const kind = body.readInt32BE(0);
        if (kind === 0) done({ connected, authenticated: true });
        const password = Buffer.from((kind === 5 ? 'md5' + '0'.repeat(32) : 'a wrong password') + '\\0');
        const head = Buffer.alloc(5);
        head.write('p', 0);
        head.writeInt32BE(4 + password.length, 1);
        socket.write(Buffer.concat([head, password]));
      }
    });
    setTimeout(() => done({ connected, code: 'TIMEOUT' }), 5000);
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script, target.host, String(target.port)], {
      uid,
      gid: uid,
      cwd: '/',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', reject);
    child.once('exit', () => {
      try {
        resolve(JSON.parse(out) as { connected: boolean; authenticated?: boolean; code?: string });
      } catch {
        reject(new Error(`the probe as uid ${uid} printed no result: ${out}${err}`));
      }
    });
  });
}

describe('embedded database socket (PGlite accepts any user and password: only the owner may reach it)', () => {
  let dataDir: string;
  let atrium: AtriumApp | undefined;
  const call = apiClient(() => atrium as AtriumApp);

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'atrium-embedded-socket-'));
    // As a project's .data usually is (umask 022): only the socket directory's own mode keeps others out.
    await chmod(dataDir, 0o755);
    atrium = await startEmbedded(dataDir);
  });

  afterAll(async () => {
    await atrium?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves PGlite on a Unix socket in DATA_DIR/run, a 0700 directory of its own user, never on TCP', async () => {
    const { host, port } = databaseTarget(atrium as AtriumApp);
    expect(host).toBe(join(dataDir, 'run'));
    const dir = await stat(host);
    expect(dir.mode & 0o777).toBe(0o700);
    expect(dir.uid).toBe(process.getuid?.());
    expect((await lstat(join(host, `.s.PGSQL.${port}`))).isSocket()).toBe(true);
    expect((await stat(join(dataDir, 'pg'))).mode & 0o777).toBe(0o700);

    // The owner connects (as TypeORM, the migrations and the CLI do), and the app works.
    const owner = new Client({ host, port, user: 'postgres', database: 'postgres' });
    await owner.connect();
    try {
      expect((await owner.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await owner.end();
    }
    expect((await call('GET', '/api/v1/info')).statusCode).toBe(200);
  });

  it('refuses another local user, whatever user and password it sends', async () => {
    const target = databaseTarget(atrium as AtriumApp);
    if (process.getuid?.() === 0) {
      // As root (CI here): really connect as another user, who is refused by the kernel.
      const nobody = 65534;
      expect(await connectAs(nobody, target)).toEqual({ connected: false, code: 'EACCES' });
    } else {
      // Without root no other user can be played: check what the kernel refuses them on — a
      // socket directory of ours with no permission at all for group or others.
      const dir = await stat(target.host);
      expect({ owner: dir.uid, others: dir.mode & 0o077 }).toEqual({ owner: process.getuid?.(), others: 0 });
    }
    expect((await call('GET', '/api/v1/info')).statusCode).toBe(200);
  });

  it('refuses to open the same DATA_DIR in a second process while the API has it (PGlite serves one)', async () => {
    await expect(EmbeddedPostgres.start(dataDir, 1)).rejects.toThrow(/open in another process/);
    expect((await call('GET', '/api/v1/info')).statusCode).toBe(200);
  });

  it('starts over a socket left behind by a process that was killed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'atrium-embedded-stale-'));
    try {
      await mkdir(join(dir, 'run'), { mode: 0o700 });
      const socketPath = join(dir, 'run', '.s.PGSQL.5432');
      const holder = spawn(
        process.execPath,
        [
          '-e',
          `require('node:net').createServer().listen(process.argv[1], () => console.log('listening'))`,
          socketPath,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      await new Promise((resolve) => holder.stdout.once('data', resolve));
      const exited = new Promise((resolve) => holder.once('exit', resolve));
      holder.kill('SIGKILL');
      await exited;
      expect((await lstat(socketPath)).isSocket()).toBe(true);

      const embedded = await EmbeddedPostgres.start(dir, 1);
      await embedded.stop();
      expect(existsSync(socketPath)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('embedded mode in development without JWT_ACCESS_SECRET and DATA_ENCRYPTION_KEY', () => {
  let dataDir: string;
  let atrium: AtriumApp | undefined;
  const { call, signedIn } = actors(() => atrium as AtriumApp);
  const development = { NODE_ENV: 'development', JWT_ACCESS_SECRET: undefined, DATA_ENCRYPTION_KEY: undefined };
  let token: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'atrium-embedded-dev-'));
    atrium = await startEmbedded(dataDir, development);
    ({ token } = await signedIn());
  });

  afterAll(async () => {
    await atrium?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps keys of its own in DATA_DIR/secrets.json, mode 0600, and never uses the published ones', async () => {
    const file = join(dataDir, SECRETS_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const keys = JSON.parse(await readFile(file, 'utf8')) as { jwtAccessSecret: string; dataEncryptionKey: string };
    const config = (atrium as AtriumApp).config;
    expect(config.jwtAccessSecret).toBe(keys.jwtAccessSecret);
    expect(config.dataEncryptionKey).toBe(keys.dataEncryptionKey);
    expect(keys.jwtAccessSecret).not.toBe(DEV_JWT_ACCESS_SECRET);
    expect(keys.jwtAccessSecret).not.toBe(keys.dataEncryptionKey);
  });

  it('refuses (401) an access token forged with the key published in the source', async () => {
    expect((await call('GET', '/api/v1/auth/me', { token })).statusCode).toBe(200);

    // The same claims as the real token (user, session, issuer, audience, expiry), signed with the
    // source's development key, as anyone who read the code could.
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const header = b64({ alg: 'HS256', typ: 'JWT' });
    const body = b64(claimsOf(token));
    const signature = createHmac('sha256', DEV_JWT_ACCESS_SECRET).update(`${header}.${body}`).digest('base64url');
    const forged = await call('GET', '/api/v1/auth/me', { token: `${header}.${body}.${signature}` });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.code).toBe(ErrorCode.UNAUTHENTICATED);
  });

  it('reuses the same keys after a restart: the file is unchanged and the access token still works', async () => {
    const file = join(dataDir, SECRETS_FILE);
    const before = await readFile(file, 'utf8');
    await (atrium as AtriumApp).close();
    atrium = undefined;

    atrium = await startEmbedded(dataDir, development);
    expect(await readFile(file, 'utf8')).toBe(before);
    expect((await call('GET', '/api/v1/auth/me', { token })).statusCode).toBe(200);
  });
});
