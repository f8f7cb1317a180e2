import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { FlakyProxy } from '../../test/support/flaky-redis-proxy';
import { createCacheRedisClient } from '../common/cache/redis-cache.store';
import { RedisViewBuffer } from '../modules/posts/views/view-buffer';
import { redisBroken, withRedis } from './redis-guard';
import { createRedisClient } from './redis.module';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `atrium-test:redis-guard:${process.pid}_${randomBytes(4).toString('hex')}:`;
/** Short, so that the process below can be busy well past it. */
const DEADLINE_MS = 100;

/** Keeps this process's thread busy (a long GC pause, a slow synchronous task) for `ms`. */
function busy(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // spin
  }
}

const ready = (client: Redis): Promise<void> =>
  client.status === 'ready' ? Promise.resolve() : new Promise((resolve) => client.once('ready', () => resolve()));

describe('withRedis: the deadline on an answer', () => {
  const clients: Redis[] = [];
  const proxies: FlakyProxy[] = [];
  const quiet = new Logger('redis-guard.spec');

  afterAll(async () => {
    for (const proxy of proxies) await proxy.stop();
    for (const client of clients) client.disconnect();
    const admin = new Redis(REDIS_URL);
    const keys = await admin.keys(`${PREFIX}*`);
    if (keys.length > 0) await admin.del(...keys);
    admin.disconnect();
  });

  async function sharedClient(url = REDIS_URL): Promise<Redis> {
    const client = createRedisClient(url, quiet, DEADLINE_MS);
    clients.push(client);
    await ready(client);
    return client;
  }

  it.each([
    ['the shared client', () => sharedClient()],
    [
      "the cache's client",
      async () => {
        const client = createCacheRedisClient(REDIS_URL, quiet);
        clients.push(client);
        await ready(client);
        return client;
      },
    ],
  ])(
    '%s: a process busy past the deadline takes the answer that came meanwhile, and keeps using Redis',
    async (_name, open) => {
      const client = await open();
      const answer = withRedis(
        client,
        (redis) => redis.ping(),
        (error) => `fallback: ${(error as Error).message}`,
      );
      // Redis answers within a millisecond; the process only reads the answer once it is free again,
      // well after the deadline (the cache's is 250 ms).
      busy(600);
      expect(await answer).toBe('PONG');
      // No breaker: the next call asks Redis (it would otherwise take its fallback for 2 s).
      expect(redisBroken(client)).toBe(false);
      expect(
        await withRedis(
          client,
          (redis) => redis.echo('next'),
          () => 'fallback',
        ),
      ).toBe('next');
    },
  );

  it('a Redis that does not answer fails the call at the deadline and opens the breaker', async () => {
    const proxy = await new FlakyProxy(REDIS_URL).start();
    proxies.push(proxy);
    const client = await sharedClient(proxy.url);
    expect(
      await withRedis(
        client,
        (redis) => redis.ping(),
        () => 'fallback',
      ),
    ).toBe('PONG');

    proxy.freeze();
    const failure = await withRedis(
      client,
      (redis) => redis.ping(),
      (error) => (error as Error).message,
    );
    expect(failure).toBe(`Redis did not answer within ${DEADLINE_MS} ms`);
    expect(redisBroken(client)).toBe(true);
    // Meanwhile callers take their fallback without waiting on Redis.
    expect(
      await withRedis(
        client,
        (redis) => redis.ping(),
        (error) => (error as Error).message,
      ),
    ).toBe('Redis unavailable (breaker open)');
  });

  it("counts views behind the shared client's deadline and breaker: a frozen Redis costs one wait, not one per read", async () => {
    const proxy = await new FlakyProxy(REDIS_URL).start();
    proxies.push(proxy);
    const client = await sharedClient(proxy.url);
    const views = new RedisViewBuffer(client, PREFIX);
    expect(await views.record('post-1', 'reader-1')).toBe(true);

    proxy.freeze();
    await expect(views.record('post-1', 'reader-2')).rejects.toThrow(`Redis did not answer within ${DEADLINE_MS} ms`);
    await expect(views.record('post-1', 'reader-3')).rejects.toThrow('Redis unavailable (breaker open)');
  });
});
