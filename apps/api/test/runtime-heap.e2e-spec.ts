import { freePort } from './support/private-redis';
import { TestResources } from './support/test-app';
import { TEST_REDIS_URL } from './support/test-env';
import { waitFor } from './support/wait-for';
import { API_ENTRY, WorkerProcess } from './support/worker-process';

const METRICS_TOKEN = 'metrics-token-for-the-heap-spec-0123456789abcdef';

/** Full collections the process has counted (prom-client's `nodejs_gc_duration_seconds`, kind major). */
async function majorCollections(service: WorkerProcess): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${service.port}/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  expect(res.status).toBe(200);
  const line = /^nodejs_gc_duration_seconds_count\{kind="major"\} (\d+)/m.exec(await res.text());
  return Number(line?.[1] ?? 0);
}

/**
 * HEAP_GROWTH_PERCENT bounds the heap from V8's first full collection after it is set; without
 * one, V8's initial limit let the API's old space fill with up to 156 MB under its first load in 4
 * start-ups of 11 (docs/DECISIONS.md 113). Both entry points run one once started.
 */
describe('the heap once the processes are up (decision 113)', () => {
  const resources = new TestResources();
  const running: WorkerProcess[] = [];

  beforeAll(() => resources.create());

  afterAll(async () => {
    await Promise.all(running.map((service) => service.stop('SIGKILL')));
    await resources.drop();
  });

  const start = async (entry: string | undefined) => {
    const service = new WorkerProcess(
      {
        NODE_ENV: 'test',
        DATABASE_URL: resources.databaseUrl,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: resources.redisPrefix,
        METRICS_TOKEN,
        SERVE_SPA: 'false',
        PORT: String(await freePort()),
      },
      entry,
    );
    running.push(service);
    return service.start();
  };

  it.each([
    ['the API', API_ENTRY],
    ['the worker', undefined],
  ])('%s has made one full collection by the time it answers, and says what it left', async (_name, entry) => {
    const service = await start(entry);
    // The collection's entry reaches prom-client's observer a moment after it ran: 1 s at most (V8
    // makes none of its own in that second of an idle process).
    expect(
      await waitFor(
        () => majorCollections(service),
        (n) => n >= 1,
        1_000,
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(service.logs.join('\n')).toMatch(/Heap after start-up: \d+ MB of old space in use/);
  });
});
