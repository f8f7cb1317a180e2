import { DependencyStatus, ErrorCode, JobRunner, ReadinessStatus, RuntimeMode } from '@atrium/contracts';
import { gunzipSync } from 'node:zlib';
import type { AtriumApp } from '../src/bootstrap';
import { apiClient, expectContract } from './support/api';
import { COMMITTED_SPEC, componentViolations } from './support/openapi-contract';
import { freePort, PrivateRedis } from './support/private-redis';
import { startTestApp, TestResources } from './support/test-app';
import { waitFor } from './support/wait-for';

const readiness = async (atrium: AtriumApp) => {
  const res = await apiClient(atrium)('GET', '/readiness');
  return { statusCode: res.statusCode, body: res.json() };
};

/** An address outside this machine (TEST-NET-3), as a load balancer, a kubelet or a visitor has. */
const REMOTE = '203.0.113.7';
const METRICS_TOKEN = 'metrics-token-for-the-probes-spec-0123456789abcdef';

/**
 * A probe request as `call` makes it, from `remoteAddress` (inject's default is 127.0.0.1), and
 * checked against the committed spec all the same.
 */
async function probe(
  atrium: AtriumApp,
  path: '/readiness' | '/metrics',
  { remoteAddress = '127.0.0.1', headers = {} }: { remoteAddress?: string; headers?: Record<string, string> } = {},
) {
  const res = await atrium.app.inject({ method: 'GET', url: path, remoteAddress, headers });
  expectContract({ method: 'GET', url: path, statusCode: res.statusCode, headers: res.headers, body: res.rawPayload });
  return res;
}

describe('probes', () => {
  const resources = new TestResources();
  let atrium: AtriumApp;
  const call = apiClient(() => atrium);

  beforeAll(async () => {
    await resources.create();
    atrium = await startTestApp(resources);
  });

  afterAll(async () => {
    await atrium?.close();
    await resources.drop();
  });

  it('GET /health answers liveness without the envelope', async () => {
    const res = await call('GET', '/health');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual({
      status: 'healthy',
      timestamp: expect.any(String),
      version: atrium.config.version,
      service: 'atrium-api',
    });
  });

  it('GET /readiness reports Postgres, Redis and the job queues with latencies, disk space and services mode', async () => {
    const { statusCode, body } = await readiness(atrium);
    expect(statusCode).toBe(200);
    expect(body).toEqual({
      status: ReadinessStatus.READY,
      mode: RuntimeMode.SERVICES,
      timestamp: expect.any(String),
      checks: {
        database: { status: DependencyStatus.UP, latencyMs: expect.any(Number), pendingMigrations: 0 },
        redis: { status: DependencyStatus.UP, latencyMs: expect.any(Number) },
        queues: { status: DependencyStatus.UP, latencyMs: expect.any(Number), runner: JobRunner.REDIS },
        disk: { status: DependencyStatus.UP, freeGb: expect.any(Number), path: atrium.config.dataDir },
      },
    });
    expect(body.checks.database.latencyMs).toBeGreaterThan(0);
    expect(body.checks.redis.latencyMs).toBeGreaterThan(0);
    expect(body.checks.disk.freeGb).toBeGreaterThan(0);
  });

  it('GET /readiness gives a caller from elsewhere the status and the status code, never the checks', async () => {
    const res = await probe(atrium, '/readiness', { remoteAddress: REMOTE });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: ReadinessStatus.READY,
      mode: RuntimeMode.SERVICES,
      timestamp: expect.any(String),
    });
    // No data path, latencies, free disk or error texts.
    expect(res.body).not.toContain(atrium.config.dataDir);
  });

  it('GET /readiness shows no checks to a request relayed by a proxy on this machine (X-Forwarded-For, Forwarded)', async () => {
    const relayed: Record<string, string>[] = [
      { 'x-forwarded-for': REMOTE },
      { forwarded: `for=${REMOTE}` },
      { 'x-real-ip': REMOTE },
    ];
    for (const headers of relayed) {
      const res = await probe(atrium, '/readiness', { headers });
      expect(res.statusCode).toBe(200);
      expect(res.json()).not.toHaveProperty('checks');
    }
    // From this machine directly (IPv4 or IPv6 loopback), the operator sees everything.
    for (const remoteAddress of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      expect((await probe(atrium, '/readiness', { remoteAddress })).json()).toHaveProperty('checks.disk.path');
    }
  });

  it('GET /metrics stays open without METRICS_TOKEN (it must then not be published)', async () => {
    expect((await probe(atrium, '/metrics', { remoteAddress: REMOTE })).statusCode).toBe(200);
  });

  it('probes are outside /api/v1', async () => {
    expect((await call('GET', '/api/v1/health')).statusCode).toBe(404);
  });

  describe('GET /metrics', () => {
    it('exposes default process metrics and app_info in Prometheus text', async () => {
      const res = await call('GET', '/metrics');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(res.body).toMatch(/^# TYPE process_cpu_user_seconds_total counter$/m);
      expect(res.body).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
      expect(res.body).toContain(`app_info{version="${atrium.config.version}",mode="services",service="atrium-api"} 1`);
    });

    it('counts requests and times them by route template, never by raw URL', async () => {
      await call('GET', '/api/v1/info?x=1');
      await call('GET', '/api/v1/info');
      await call('GET', '/api/v1/no/such/thing/12345');
      const { body } = await call('GET', '/metrics');

      const count = (labels: string) =>
        Number(new RegExp(`^http_requests_total\\{${labels}\\} (\\d+)$`, 'm').exec(body)?.[1] ?? 0);
      expect(count('method="GET",route="/api/v1/info",status="200"')).toBeGreaterThanOrEqual(2);
      expect(count('method="GET",route="<unmatched>",status="404"')).toBeGreaterThanOrEqual(1);
      expect(body).toMatch(/^# TYPE http_request_duration_seconds histogram$/m);
      expect(body).toMatch(
        /^http_request_duration_seconds_bucket\{le="\+Inf",method="GET",route="\/api\/v1\/info",status="200"\} \d+$/m,
      );
      expect(body).toMatch(
        /^http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/info",status="200"\} \d+$/m,
      );
      expect(body).not.toContain('12345');
      expect(body).not.toContain('?x=1');
    });
  });

  describe('docs', () => {
    it('serves Swagger UI at /docs', async () => {
      const res = await call('GET', '/docs');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.body).toContain('swagger-ui');
      expect(res.body).toContain('<title>Atrium API</title>');
    });

    it('serves the spec at /docs/openapi.json, identical to the committed apps/api/openapi.json', async () => {
      const res = await call('GET', '/docs/openapi.json');
      expect(res.statusCode).toBe(200);
      const served = res.json();
      expect(served).toEqual(COMMITTED_SPEC);
      expect(served.info).toMatchObject({ title: 'Atrium API', version: atrium.config.version });
      expect(served.components.securitySchemes.bearer).toEqual(
        expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
      );
      expect(Object.keys(served.components.schemas)).toEqual(
        expect.arrayContaining(['ErrorResponseDto', 'ResponseMetaDto', 'ErrorDetailDto']),
      );
    });

    it('serves the API reference at /reference: our page, no inline script, under the CSP, on the served spec', async () => {
      const res = await call('GET', '/reference');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.body).toContain('<html lang="en">');
      expect(res.body).toContain('<title>Atrium API reference</title>');
      // Every <script> is either external (src) or inert data (type="application/json"): nothing inline runs.
      const scripts = [...res.body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts).toHaveLength(2);
      for (const [, attributes, content] of scripts) {
        expect(
          /\ssrc="\/reference\/assets\/js\/scalar\.js"/.test(attributes) || /type="application\/json"/.test(attributes),
        ).toBe(true);
        expect(content.trim()).toBe('');
      }
      const configuration = JSON.parse(
        (/data-configuration="([^"]*)"/.exec(res.body)?.[1] ?? '').replace(/&quot;/g, '"').replace(/&amp;/g, '&'),
      );
      expect(configuration).toMatchObject({
        url: '/docs/openapi.json',
        withDefaultFonts: false,
        hideClientButton: true,
        showDeveloperTools: 'never',
        agent: { disabled: true },
      });
      const css = await call('GET', '/reference/theme.css');
      expect(css.statusCode).toBe(200);
      expect(css.headers['content-type']).toMatch(/text\/css/);
    });

    it("serves Scalar's script from the package, gzipped for clients that take it, and nothing else of the plugin", async () => {
      const plain = await call('GET', '/reference/assets/js/scalar.js');
      expect(plain.statusCode).toBe(200);
      expect(plain.headers['content-type']).toMatch(/javascript/);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body).toContain('createApiReference');
      const zipped = await call('GET', '/reference/assets/js/scalar.js', {
        headers: { 'accept-encoding': 'gzip, br' },
      });
      expect(zipped.statusCode).toBe(200);
      expect(zipped.headers['content-encoding']).toBe('gzip');
      expect(String(zipped.headers.vary)).toMatch(/Accept-Encoding/);
      expect(zipped.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
      expect(gunzipSync(zipped.rawPayload).equals(plain.rawPayload)).toBe(true);
      // The plugin's own page (an inline script the CSP refuses) leads to ours.
      for (const url of ['/reference/assets', '/reference/assets/']) {
        const other = await call('GET', url);
        expect(other.statusCode).toBe(302);
        expect(other.headers.location).toBe('/reference');
      }
    });

    it('documents the error envelope as the real errors look', async () => {
      const res = await call('GET', '/api/v1/nope');
      expect(componentViolations('ErrorResponseDto', res.json())).toEqual([]);
    });
  });
});

describe('probes with METRICS_TOKEN', () => {
  const resources = new TestResources();
  let atrium: AtriumApp;
  let tokenOnly: AtriumApp;
  const bearer = { authorization: `Bearer ${METRICS_TOKEN}` };

  beforeAll(async () => {
    await resources.create();
    atrium = await startTestApp(resources, { METRICS_TOKEN });
    tokenOnly = await startTestApp(resources, { METRICS_TOKEN, READINESS_DETAILS: 'token' });
  });

  afterAll(async () => {
    await atrium?.close();
    await tokenOnly?.close();
    await resources.drop();
  });

  it('GET /metrics answers 401 in the error envelope without the token or with a wrong one, also from loopback', async () => {
    const refused: Record<string, string>[] = [
      {},
      { authorization: 'Bearer not-the-metrics-token' },
      { authorization: METRICS_TOKEN },
    ];
    for (const headers of refused) {
      const res = await probe(atrium, '/metrics', { headers: { ...headers, 'x-request-id': 'metrics-401' } });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="metrics"');
      expect(res.json()).toEqual({
        status: 'error',
        error: { code: ErrorCode.UNAUTHENTICATED, message: expect.any(String) },
        meta: { requestId: 'metrics-401', timestamp: expect.any(String) },
      });
      expect(res.body).not.toContain('process_cpu');
    }
  });

  it('GET /metrics answers the exposition to the bearer of the token (scheme in any case), from anywhere', async () => {
    for (const authorization of [`Bearer ${METRICS_TOKEN}`, `bearer ${METRICS_TOKEN}`]) {
      const res = await probe(atrium, '/metrics', { remoteAddress: REMOTE, headers: { authorization } });
      expect(res.statusCode).toBe(200);
      expect(res.body).toMatch(/^app_info\{/m);
    }
  });

  it('GET /readiness shows the checks to the bearer of the token from elsewhere (a dashboard, Prometheus)', async () => {
    const res = await probe(atrium, '/readiness', { remoteAddress: REMOTE, headers: bearer });
    expect(res.statusCode).toBe(200);
    expect(res.json().checks).toEqual(
      expect.objectContaining({ database: expect.objectContaining({ status: DependencyStatus.UP }) }),
    );
    expect((await probe(atrium, '/readiness', { remoteAddress: REMOTE })).json()).not.toHaveProperty('checks');
  });

  it('READINESS_DETAILS=token shows the checks to the token only, not to loopback', async () => {
    expect((await probe(tokenOnly, '/readiness')).json()).not.toHaveProperty('checks');
    expect((await probe(tokenOnly, '/readiness', { headers: bearer })).json()).toHaveProperty('checks.database');
    expect((await probe(tokenOnly, '/readiness', { remoteAddress: REMOTE })).statusCode).toBe(200);
  });
});

describe('readiness when Redis goes away', () => {
  const resources = new TestResources();
  const apps: AtriumApp[] = [];
  let redis: PrivateRedis;

  beforeAll(async () => {
    await resources.create();
    redis = new PrivateRedis(await freePort());
    await redis.start();
  });

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await redis?.stop();
    await resources.drop();
  });

  it('stays in rotation, degraded, when Redis is unreachable from the start', async () => {
    const closedPort = await freePort();
    const atrium = await startTestApp(resources, { REDIS_URL: `redis://127.0.0.1:${closedPort}` });
    apps.push(atrium);
    const { statusCode, body } = await readiness(atrium);
    // Requests are still served (rate limits fail open, mail waits in the outbox): not a reason
    // for a load balancer to drop every replica at once.
    expect(statusCode).toBe(200);
    expect(body.status).toBe(ReadinessStatus.DEGRADED);
    expect(body.checks.redis).toEqual({
      status: DependencyStatus.DOWN,
      latencyMs: expect.any(Number),
      error: 'Redis unreachable',
    });
    expect(body.checks.queues).toMatchObject({ status: DependencyStatus.DOWN, runner: JobRunner.REDIS });
    expect(body.checks.database.status).toBe(DependencyStatus.UP);
    // Liveness stays green: restarting the process would not bring Redis back.
    expect((await apiClient(atrium)('GET', '/health')).statusCode).toBe(200);
  });

  it('goes degraded when Redis stops and back to ready when it returns, without a restart', async () => {
    const atrium = await startTestApp(resources, { REDIS_URL: redis.url });
    apps.push(atrium);
    // Ready once its connections are up: on a busy machine the first probe, a moment after start,
    // can still find a queue connecting (degraded, still 200). The whole answer is compared, so a
    // check that stays down is named.
    const ready = await waitFor(
      () => readiness(atrium),
      (r) => r.body.status === ReadinessStatus.READY,
    );
    expect(ready.body).toMatchObject({ status: ReadinessStatus.READY });

    await redis.stop();
    const down = await waitFor(
      () => readiness(atrium),
      (r) => r.body.status === ReadinessStatus.DEGRADED,
    );
    expect(down.statusCode).toBe(200);
    expect(down.body.checks.redis.status).toBe(DependencyStatus.DOWN);
    expect(down.body.checks.queues.status).toBe(DependencyStatus.DOWN);
    // Cache and throttling degrade (miss, fail open) instead of failing or hanging the request.
    const during = await apiClient(atrium)('GET', '/api/v1/info');
    expect(during.statusCode).toBe(200);
    expect(during.json().data.name).toBe('Atrium');

    await redis.start();
    const up = await waitFor(
      () => readiness(atrium),
      (r) => r.body.status === ReadinessStatus.READY,
    );
    expect(up.statusCode).toBe(200);
    expect(up.body.checks.redis).toEqual({ status: DependencyStatus.UP, latencyMs: expect.any(Number) });
    expect(up.body.checks.queues).toMatchObject({ status: DependencyStatus.UP, runner: JobRunner.REDIS });
  });
});

describe('readiness while shutting down', () => {
  const resources = new TestResources();

  beforeAll(async () => {
    await resources.create();
  });

  afterAll(async () => {
    await resources.drop();
  });

  it('answers 503 at once while the replica keeps serving its drain period with Connection: close', async () => {
    const atrium = await startTestApp(resources, { SHUTDOWN_DRAIN_MS: '1500' });
    const call = apiClient(atrium);
    expect((await readiness(atrium)).statusCode).toBe(200);
    const closed = atrium.close();
    try {
      const draining = await readiness(atrium);
      expect(draining.statusCode).toBe(503);
      expect(draining.body).toMatchObject({ status: ReadinessStatus.NOT_READY, reason: 'shutting down' });
      // A load balancer (not loopback) gets the 503 and the status, without the checks.
      const remote = await probe(atrium, '/readiness', { remoteAddress: REMOTE });
      expect(remote.statusCode).toBe(503);
      expect(remote.json()).toEqual({
        status: ReadinessStatus.NOT_READY,
        reason: 'shutting down',
        mode: RuntimeMode.SERVICES,
        timestamp: expect.any(String),
      });
      const served = await call('GET', '/api/v1/info');
      expect(served.statusCode).toBe(200);
      expect(served.headers.connection).toBe('close');
    } finally {
      await closed;
    }
  });
});
