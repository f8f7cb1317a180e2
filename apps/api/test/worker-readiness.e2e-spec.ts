import { ErrorCode } from '@atrium/contracts';
import { networkInterfaces } from 'node:os';
import { freePort, PrivateRedis } from './support/private-redis';
import { TestResources } from './support/test-app';
import { waitFor } from './support/wait-for';
import { WorkerProcess } from './support/worker-process';

const METRICS_TOKEN = 'metrics-token-for-the-worker-spec-0123456789abcdef';

/** This machine's first address that is not loopback (a request to it does not come from loopback). */
const outsideAddress = Object.values(networkInterfaces())
  .flat()
  .find((address) => address && address.family === 'IPv4' && !address.internal)?.address;

/** The worker has a readiness of its own: it cannot work without Postgres, Redis and its job queues. */
describe('worker readiness', () => {
  const resources = new TestResources();
  let redis: PrivateRedis;
  let worker: WorkerProcess;

  const readiness = async (host = '127.0.0.1', headers: Record<string, string> = {}) => {
    const res = await fetch(`http://${host}:${worker.port}/readiness`, { headers });
    return {
      status: res.status,
      body: (await res.json()) as { status: string; checks?: Record<string, { status: string }> },
    };
  };

  beforeAll(async () => {
    await resources.create();
    redis = new PrivateRedis(await freePort());
    await redis.start();
    worker = await new WorkerProcess({
      NODE_ENV: 'test',
      DATABASE_URL: resources.databaseUrl,
      REDIS_URL: redis.url,
      REDIS_PREFIX: resources.redisPrefix,
      METRICS_TOKEN,
      // Reachable on every interface, so a request can come from an address that is not loopback.
      HOST: '0.0.0.0',
    }).start();
  });

  afterAll(async () => {
    await worker?.stop('SIGKILL');
    await redis?.stop();
    await resources.drop();
  });

  it('answers 200 with Postgres, Redis and the queues up, 503 while Redis is down, and 200 again without a restart', async () => {
    const ready = await readiness();
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ready',
      checks: { database: { status: 'up' }, redis: { status: 'up' }, queues: { status: 'up' } },
    });

    await redis.stop();
    const down = await waitFor(readiness, (r) => r.status === 503);
    expect(down.body).toMatchObject({
      status: 'not_ready',
      checks: { database: { status: 'up' }, redis: { status: 'down' }, queues: { status: 'down' } },
    });
    // Behind a proxy, the orchestrator still gets the 503, without the checks.
    const proxied = await readiness('127.0.0.1', { 'x-forwarded-for': '203.0.113.7' });
    expect(proxied).toEqual({ status: 503, body: { status: 'not_ready', timestamp: expect.any(String) } });

    await redis.start();
    const back = await waitFor(readiness, (r) => r.status === 200, 20_000);
    expect(back.body).toMatchObject({ status: 'ready', checks: { redis: { status: 'up' }, queues: { status: 'up' } } });
  });

  it('shows the checks only to loopback callers through no proxy, and to the bearer of METRICS_TOKEN', async () => {
    const proxied = await readiness('127.0.0.1', { 'x-forwarded-for': '203.0.113.7' });
    expect(proxied).toEqual({ status: 200, body: { status: 'ready', timestamp: expect.any(String) } });
    const withToken = await readiness('127.0.0.1', {
      'x-forwarded-for': '203.0.113.7',
      authorization: `Bearer ${METRICS_TOKEN}`,
    });
    expect(withToken.body.checks).toMatchObject({ database: { status: 'up' }, redis: { status: 'up' } });

    if (outsideAddress === undefined) return; // no other interface on this machine: the proxy case stands for it
    const remote = await readiness(outsideAddress);
    expect(remote).toEqual({ status: 200, body: { status: 'ready', timestamp: expect.any(String) } });
  });

  it('GET /metrics needs METRICS_TOKEN: 401 in the error envelope without it, the exposition with it', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-wrong-token-wrong-token-0000']) {
      const res = await fetch(`http://127.0.0.1:${worker.port}/metrics`, {
        headers: { 'x-request-id': 'worker-metrics-401', ...(authorization && { authorization }) },
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      expect(await res.json()).toEqual({
        status: 'error',
        error: { code: ErrorCode.UNAUTHENTICATED, message: expect.any(String) },
        meta: { requestId: 'worker-metrics-401', timestamp: expect.any(String) },
      });
    }
    const res = await fetch(`http://127.0.0.1:${worker.port}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^app_info\{[^}]*service="atrium-worker"[^}]*\} 1$/m);
  });
});
