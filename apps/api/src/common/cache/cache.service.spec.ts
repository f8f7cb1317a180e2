import { RuntimeMode } from '@atrium/contracts';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { FlakyProxy } from '../../../test/support/flaky-redis-proxy';
import type { AppConfig } from '../../config/app-config';
import { MetricsService } from '../../modules/metrics/metrics.service';
import { CacheService } from './cache.service';
import { type CacheStore, MemoryCacheStore } from './cache.store';
import { createCacheRedisClient, RedisCacheStore } from './redis-cache.store';

/** The shared Redis of the test machine; every test here works under a prefix of its own. */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `atrium-test:cache-spec:${process.pid}_${randomBytes(4).toString('hex')}:`;
const TTL = { ttlSeconds: 60 };

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
}

function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const newMetrics = (): MetricsService =>
  new MetricsService({ version: 'test', mode: RuntimeMode.SERVICES, serviceName: 'cache-spec' } as AppConfig);

/** The value of one sample of the exposition (0 when absent). */
async function sample(metrics: MetricsService, series: string): Promise<number> {
  const text = await metrics.exposition();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

/** A loader over a mutable source that counts its calls. */
function source<T>(initial: T) {
  const state = { value: initial, loads: 0 };
  const load = (): Promise<T> => {
    state.loads += 1;
    return Promise.resolve(state.value);
  };
  return { state, load };
}

interface Replica {
  cache: CacheService;
  metrics: MetricsService;
}

const stores: Array<[string, (prefix: string) => CacheStore, boolean]> = [
  ['memory (embedded mode)', () => new MemoryCacheStore(), false],
  ['Redis', (prefix) => new RedisCacheStore(createCacheRedisClient(REDIS_URL), prefix), true],
];

describe.each(stores)('CacheService on %s', (_name, makeStore, shared) => {
  const opened: CacheService[] = [];
  let prefix: string;
  let store: CacheStore;

  const replica = async (): Promise<Replica> => {
    const metrics = newMetrics();
    // Memory is one process's: a second replica only exists with a shared store.
    const own = opened.length === 0 || !shared ? store : makeStore(prefix);
    await own.ready(2_000);
    const cache = new CacheService(own, metrics);
    opened.push(cache);
    return { cache, metrics };
  };

  beforeEach(async () => {
    prefix = `${PREFIX}${randomBytes(3).toString('hex')}:`;
    store = makeStore(prefix);
    await store.ready(2_000);
  });

  afterEach(async () => {
    for (const cache of opened.splice(0)) await cache.onApplicationShutdown();
    await store.close();
  });

  it('loads a value once and serves it from the cache after that, counting hits and misses', async () => {
    const { cache, metrics } = await replica();
    const profile = source({ name: 'Ada', joined: '2026-01-01' });
    expect(await cache.getOrLoad('profiles', 'ada', profile.load, TTL)).toEqual({ name: 'Ada', joined: '2026-01-01' });
    expect(await cache.getOrLoad('profiles', 'ada', profile.load, TTL)).toEqual({ name: 'Ada', joined: '2026-01-01' });
    expect(await cache.getOrLoad('profiles', 'ada', profile.load, TTL)).toEqual({ name: 'Ada', joined: '2026-01-01' });
    expect(profile.state.loads).toBe(1);
    expect(await sample(metrics, 'cache_misses_total{namespace="profiles"}')).toBe(1);
    expect(await sample(metrics, 'cache_hits_total{namespace="profiles"}')).toBe(2);
  });

  it('gives back what a JSON round trip gives, in memory as in Redis', async () => {
    const { cache } = await replica();
    const load = (): Promise<{ at: Date; n: number }> =>
      Promise.resolve({ at: new Date('2026-02-03T04:05:06Z'), n: 1 });
    await cache.getOrLoad('dates', 'k', load, TTL);
    expect(await cache.getOrLoad('dates', 'k', load, TTL)).toEqual({ at: '2026-02-03T04:05:06.000Z', n: 1 });
  });

  it("keeps a value in its codec's form and reads it back through the codec", async () => {
    const { cache } = await replica();
    const written: string[] = [];
    const codec = {
      encode: (value: { head: string; text: string }) => {
        written.push(`${value.head}|${value.text}`);
        return written[written.length - 1];
      },
      decode: (text: string) => ({ head: text.split('|')[0], text: text.slice(text.indexOf('|') + 1) }),
    };
    const page = source({ head: 'h1', text: '[{"a":1}]' });
    const options = { ...TTL, codec };
    expect(await cache.getOrLoad('pages', 'p', page.load, options)).toEqual({ head: 'h1', text: '[{"a":1}]' });
    expect(await cache.getOrLoad('pages', 'p', page.load, options)).toEqual({ head: 'h1', text: '[{"a":1}]' });
    expect([page.state.loads, written]).toEqual([1, ['h1|[{"a":1}]']]);
  });

  it('invalidate drops one key (on every replica) and leaves the others', async () => {
    const a = await replica();
    const b = await replica();
    const ada = source('ada v1');
    const bob = source('bob v1');
    await b.cache.getOrLoad('profiles', 'ada', ada.load, TTL);
    await b.cache.getOrLoad('profiles', 'bob', bob.load, TTL);
    ada.state.value = 'ada v2';
    bob.state.value = 'bob v2';
    expect(await a.cache.invalidate('profiles', 'ada')).toBe(true);
    expect(await b.cache.getOrLoad('profiles', 'ada', ada.load, TTL)).toBe('ada v2');
    expect(await b.cache.getOrLoad('profiles', 'bob', bob.load, TTL)).toBe('bob v1');
  });

  it('invalidateNamespace drops every key of that namespace only', async () => {
    const a = await replica();
    const b = await replica();
    const grants = source('grants v1');
    const other = source('other v1');
    await b.cache.getOrLoad('grants', 'u1', grants.load, TTL);
    await b.cache.getOrLoad('grants', 'u2', grants.load, TTL);
    await b.cache.getOrLoad('system', 'instance', other.load, TTL);
    grants.state.value = 'grants v2';
    other.state.value = 'other v2';
    expect(await a.cache.invalidateNamespace('grants')).toBe(true);
    expect(await b.cache.getOrLoad('grants', 'u1', grants.load, TTL)).toBe('grants v2');
    expect(await b.cache.getOrLoad('grants', 'u2', grants.load, TTL)).toBe('grants v2');
    expect(await b.cache.getOrLoad('system', 'instance', other.load, TTL)).toBe('other v1');
    // A key invalidated before and after a namespace bump still reloads after another invalidation.
    grants.state.value = 'grants v3';
    await a.cache.invalidate('grants', 'u1');
    expect(await b.cache.getOrLoad('grants', 'u1', grants.load, TTL)).toBe('grants v3');
  });

  it('invalidateNamespace of several namespaces drops each of them, in one round trip to Redis', async () => {
    const a = await replica();
    const b = await replica();
    const posts = source('posts v1');
    const feeds = source('feeds v1');
    const other = source('other v1');
    await b.cache.getOrLoad('posts-public', 'p1', posts.load, TTL);
    await b.cache.getOrLoad('feeds', 'rss', feeds.load, TTL);
    await b.cache.getOrLoad('system', 'instance', other.load, TTL);
    posts.state.value = 'posts v2';
    feeds.state.value = 'feeds v2';
    other.state.value = 'other v2';
    // What the client writes to Redis's socket meanwhile (a write a round trip: ioredis sends a pipeline in one).
    const client = (store as unknown as { client?: { stream: { write: (...args: unknown[]) => boolean } } }).client;
    const writes = client ? jest.spyOn(client.stream, 'write') : undefined;
    expect(await a.cache.invalidateNamespace('posts-public', 'feeds')).toBe(true);
    if (writes) expect(writes).toHaveBeenCalledTimes(1);
    writes?.mockRestore();
    expect(await b.cache.getOrLoad('posts-public', 'p1', posts.load, TTL)).toBe('posts v2');
    expect(await b.cache.getOrLoad('feeds', 'rss', feeds.load, TTL)).toBe('feeds v2');
    expect(await b.cache.getOrLoad('system', 'instance', other.load, TTL)).toBe('other v1');
  });

  it('never serves a value loaded before an invalidation: the slow reader cannot write it back (stale-grant race)', async () => {
    const a = await replica();
    const b = await replica();
    let grants = 'admin';
    const readFromDatabase = deferred();
    const gate = deferred();
    // Replica B misses and reads the database while the role is still held…
    const slow = b.cache.getOrLoad(
      'grants',
      'u1',
      async () => {
        const read = grants;
        readFromDatabase.resolve();
        await gate.promise;
        return read;
      },
      TTL,
    );
    await readFromDatabase.promise;
    // …replica A commits the revoke and invalidates…
    grants = 'none';
    expect(await a.cache.invalidate('grants', 'u1')).toBe(true);
    // …then B's load finishes and is written to the cache.
    gate.resolve();
    expect(await slow).toBe('admin'); // the request in flight answers with what it read
    const fresh = async (): Promise<string> => Promise.resolve(grants);
    expect(await b.cache.getOrLoad('grants', 'u1', fresh, TTL)).toBe('none');
    expect(await a.cache.getOrLoad('grants', 'u1', fresh, TTL)).toBe('none');
  });

  it('the same race against a namespace invalidation (a role lost a permission)', async () => {
    const a = await replica();
    const b = await replica();
    let rules = 'users:read';
    const started = deferred();
    const gate = deferred();
    const slow = b.cache.getOrLoad(
      'grants',
      'u7',
      async () => {
        const read = rules;
        started.resolve();
        await gate.promise;
        return read;
      },
      TTL,
    );
    await started.promise;
    rules = '';
    expect(await a.cache.invalidateNamespace('grants')).toBe(true);
    gate.resolve();
    await slow;
    expect(await b.cache.getOrLoad('grants', 'u7', () => Promise.resolve(rules), TTL)).toBe('');
  });

  it('concurrent misses of one key share a single load', async () => {
    const { cache } = await replica();
    const gate = deferred();
    let loads = 0;
    const load = async (): Promise<string> => {
      loads += 1;
      await gate.promise;
      return 'value';
    };
    const reads = [1, 2, 3, 4].map(() => cache.getOrLoad('stats', 'dashboard', load, TTL));
    await sleep(20);
    gate.resolve();
    expect(await Promise.all(reads)).toEqual(['value', 'value', 'value', 'value']);
    expect(loads).toBe(1);
  });

  it('expires a value after its TTL; a TTL function sees the value; zero or less is not cached', async () => {
    const { cache } = await replica();
    const short = source('first');
    await cache.getOrLoad('short', 'k', short.load, { ttlSeconds: 0.15 });
    short.state.value = 'second';
    expect(await cache.getOrLoad('short', 'k', short.load, { ttlSeconds: 0.15 })).toBe('first');
    await sleep(250);
    expect(await cache.getOrLoad('short', 'k', short.load, { ttlSeconds: 0.15 })).toBe('second');

    const expiring = source({ validForSeconds: 0 });
    const byValue = { ttlSeconds: (value: { validForSeconds: number }) => value.validForSeconds };
    await cache.getOrLoad('expiring', 'k', expiring.load, byValue);
    await cache.getOrLoad('expiring', 'k', expiring.load, byValue);
    expect(expiring.state.loads).toBe(2);
  });

  it("passes a loader's error on and caches nothing", async () => {
    const { cache } = await replica();
    await expect(cache.getOrLoad('system', 'instance', () => Promise.reject(new Error('no row')), TTL)).rejects.toThrow(
      'no row',
    );
    expect(await cache.getOrLoad('system', 'instance', () => Promise.resolve('row'), TTL)).toBe('row');
  });

  it('refuses a namespace that is not a name (it is a metric label)', async () => {
    const { cache } = await replica();
    await expect(cache.getOrLoad('Users:*', 'k', () => Promise.resolve(1), TTL)).rejects.toThrow(/namespace/);
  });
});

describe('CacheService on Redis: tokens', () => {
  const admin = new Redis(REDIS_URL);
  const prefix = `${PREFIX}tokens:`;
  const caches: CacheService[] = [];

  afterAll(async () => {
    for (const cache of caches) await cache.onApplicationShutdown();
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length > 0) await admin.del(...keys);
    admin.disconnect();
  });

  it('never brings an old value back when a version token is lost (evicted, expired)', async () => {
    const store = new RedisCacheStore(createCacheRedisClient(REDIS_URL), prefix);
    await store.ready(2_000);
    const cache = new CacheService(store, newMetrics());
    caches.push(cache);
    const grants = source('v1');
    await cache.getOrLoad('grants', 'u1', grants.load, TTL);
    grants.state.value = 'v2';
    expect(await cache.invalidate('grants', 'u1')).toBe(true);
    await cache.getOrLoad('grants', 'u1', grants.load, TTL);
    expect(await cache.getOrLoad('grants', 'u1', grants.load, TTL)).toBe('v2');
    expect(grants.state.loads).toBe(2);
    // The version key goes while values filed under earlier versions are still in Redis: a counter
    // would start again at its first value and find 'v1'; a fresh token finds nothing.
    await admin.del(`${prefix}grants:v:u1`);
    grants.state.value = 'v3';
    expect(await cache.getOrLoad('grants', 'u1', grants.load, TTL)).toBe('v3');
    // Losing the generation is the same.
    await admin.del(`${prefix}grants:g`);
    grants.state.value = 'v4';
    expect(await cache.getOrLoad('grants', 'u1', grants.load, TTL)).toBe('v4');
  });

  it('the reads of one turn go to Redis in one call, each finding its own value, tokens made once', async () => {
    const client = createCacheRedisClient(REDIS_URL);
    const store = new RedisCacheStore(client, prefix);
    await store.ready(2_000);
    const cache = new CacheService(store, newMetrics());
    caches.push(cache);
    const posts = Array.from({ length: 30 }, (_, i) => source(`post ${i}`));
    for (const [i, post] of posts.entries()) await cache.getOrLoad('posts-public', `p${i}`, post.load, TTL);
    posts[3].state.value = 'post 3, edited';
    expect(await cache.invalidate('posts-public', 'p3')).toBe(true);
    let scripts = 0;
    const send = client.sendCommand.bind(client);
    // Counts the script calls (EVALSHA, or EVAL when Redis does not know the script yet).
    const spy = jest.spyOn(client, 'sendCommand').mockImplementation((command, stream) => {
      if (/^eval/i.test(command.name)) scripts++;
      return send(command, stream);
    });
    const fresh = source('a new namespace');
    const values = await Promise.all([
      ...posts.map((post, i) => cache.getOrLoad('posts-public', `p${i}`, post.load, TTL)),
      // Twice in one call, in a namespace without tokens yet: the second read finds the first's tokens.
      cache.getOrLoad('turn-new', 'x', fresh.load, TTL),
      cache.getOrLoad('turn-new', 'x', fresh.load, TTL),
    ]);
    spy.mockRestore();
    expect(scripts).toBe(1);
    expect(values).toEqual([
      ...posts.map((_, i) => (i === 3 ? 'post 3, edited' : `post ${i}`)),
      'a new namespace',
      'a new namespace',
    ]);
    expect(posts.map((post) => post.state.loads)).toEqual(posts.map((_, i) => (i === 3 ? 2 : 1)));
    expect(fresh.state.loads).toBe(1);
    expect(await cache.getOrLoad('turn-new', 'x', fresh.load, TTL)).toBe('a new namespace');
    expect(fresh.state.loads).toBe(1);
  });

  it('keeps its keys under the prefix, with a TTL on every one', async () => {
    const keys = await admin.keys(`${prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(await admin.pttl(key)).toBeGreaterThan(0);
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('CacheService when Redis is unreachable', () => {
  const admin = new Redis(REDIS_URL);
  const prefix = `${PREFIX}outage:`;
  const caches: CacheService[] = [];
  const proxies: FlakyProxy[] = [];

  const cacheOn = async (url: string): Promise<Replica> => {
    const metrics = newMetrics();
    const store = new RedisCacheStore(createCacheRedisClient(url), prefix);
    const cache = new CacheService(store, metrics);
    caches.push(cache);
    await store.ready(1_000);
    return { cache, metrics };
  };

  const timed = async <T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> => {
    const started = performance.now();
    const value = await work();
    return { value, ms: performance.now() - started };
  };

  afterAll(async () => {
    for (const proxy of proxies) await proxy.stop();
    for (const cache of caches) await cache.onApplicationShutdown();
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length > 0) await admin.del(...keys);
    admin.disconnect();
  });

  it('nothing listening: every read is a miss served by the loader at once, counted as an error', async () => {
    const { cache, metrics } = await cacheOn(`redis://127.0.0.1:${await freePort()}`);
    const profile = source('from the database');
    for (let i = 0; i < 3; i++) {
      const { value, ms } = await timed(() => cache.getOrLoad('profiles', 'ada', profile.load, TTL));
      expect(value).toBe('from the database');
      expect(ms).toBeLessThan(250);
    }
    expect(profile.state.loads).toBe(3);
    const invalidation = await timed(() => cache.invalidate('profiles', 'ada'));
    expect(invalidation.value).toBe(false);
    expect(invalidation.ms).toBeLessThan(250);
    expect(await sample(metrics, 'cache_misses_total{namespace="profiles"}')).toBe(3);
    expect(await sample(metrics, 'cache_errors_total{namespace="profiles",operation="read"}')).toBe(3);
    expect(await sample(metrics, 'cache_errors_total{namespace="profiles",operation="invalidate"}')).toBe(1);
  });

  it('Redis accepting connections but not answering (frozen): a miss after the command timeout, never a hang', async () => {
    const proxy = await new FlakyProxy(REDIS_URL).start();
    proxies.push(proxy);
    const { cache } = await cacheOn(proxy.url);
    const profile = source('v1');
    expect(await cache.getOrLoad('profiles', 'frozen', profile.load, TTL)).toBe('v1');
    proxy.freeze();
    profile.state.value = 'v2';
    const read = await timed(() => cache.getOrLoad('profiles', 'frozen', profile.load, TTL));
    expect(read.value).toBe('v2');
    expect(read.ms).toBeLessThan(1_000);
    const invalidation = await timed(() => cache.invalidate('profiles', 'frozen'));
    expect(invalidation).toEqual({ value: false, ms: expect.any(Number) });
    expect(invalidation.ms).toBeLessThan(1_000);
  });

  it('an invalidation that missed Redis is retried when it is back, so no replica keeps the old value', async () => {
    const proxy = await new FlakyProxy(REDIS_URL).start();
    proxies.push(proxy);
    const a = await cacheOn(proxy.url); // the replica that commits the change, cut off from Redis
    const b = await cacheOn(REDIS_URL); // a replica that never lost Redis
    const grants = source('editor');
    expect(await b.cache.getOrLoad('grants', 'u9', grants.load, TTL)).toBe('editor');

    proxy.cut();
    grants.state.value = 'user';
    expect(await a.cache.invalidate('grants', 'u9')).toBe(false);
    // Meanwhile A itself reads the source for that key, not the stale entry.
    expect(await a.cache.getOrLoad('grants', 'u9', grants.load, TTL)).toBe('user');

    proxy.restore();
    const deadline = Date.now() + 8_000;
    let seen = await b.cache.getOrLoad('grants', 'u9', grants.load, TTL);
    while (seen !== 'user' && Date.now() < deadline) {
      await sleep(200);
      seen = await b.cache.getOrLoad('grants', 'u9', grants.load, TTL);
    }
    expect(seen).toBe('user');
  });
});
