import 'reflect-metadata';
import { DependencyStatus, ErrorCode, ReadinessStatus, RuntimeMode } from '@atrium/contracts';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AtriumApp, createApp } from '../src/bootstrap';
import { loadConfigFromEnvironment } from '../src/config/config.module';
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

  it('GET /api/v1/info reports embedded mode and the first boot of a new installation', async () => {
    const res = await call('GET', '/api/v1/info');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.data).toEqual({
      name: 'Atrium',
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
