import { freePort, PrivateRedis } from './support/private-redis';
import { TestResources } from './support/test-app';
import { waitFor } from './support/wait-for';
import { WorkerProcess } from './support/worker-process';

/** The worker has a readiness of its own: it cannot work without Postgres and Redis. */
describe('worker readiness', () => {
  const resources = new TestResources();
  let redis: PrivateRedis;
  let worker: WorkerProcess;

  const readiness = async () => {
    const res = await fetch(`http://127.0.0.1:${worker.port}/readiness`);
    return {
      status: res.status,
      body: (await res.json()) as { status: string; checks: Record<string, { status: string }> },
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
    }).start();
  });

  afterAll(async () => {
    await worker?.stop('SIGKILL');
    await redis?.stop();
    await resources.drop();
  });

  it('answers 200 with Postgres and Redis up, 503 while Redis is down, and 200 again without a restart', async () => {
    const ready = await readiness();
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ready',
      checks: { database: { status: 'up' }, redis: { status: 'up' } },
    });

    await redis.stop();
    const down = await waitFor(readiness, (r) => r.status === 503);
    expect(down.body).toMatchObject({
      status: 'not_ready',
      checks: { database: { status: 'up' }, redis: { status: 'down' } },
    });

    await redis.start();
    const back = await waitFor(readiness, (r) => r.status === 200, 20_000);
    expect(back.body.status).toBe('ready');
  });
});
