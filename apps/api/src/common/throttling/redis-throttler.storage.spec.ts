import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { redisBroken } from '../../redis/redis-guard';
import { RedisThrottlerStorage, THROTTLE_SYNC_MS } from './redis-throttler.storage';

/** The shared Redis of the test machine; every test here works under a prefix of its own. */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const MINUTE = 60_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('RedisThrottlerStorage', () => {
  const clients: Redis[] = [];
  let prefix: string;

  /** A replica's storage on a connection of its own, with the increments it sends to Redis counted (a
   * pipeline's too: ioredis sends each of its commands through the client). */
  async function replica(exact: string[] = [], syncMs = 10_000) {
    const redis = new Redis(REDIS_URL);
    clients.push(redis);
    // Ten seconds between syncs unless said (the windows are a minute): the tests send what waits
    // themselves (`sync()`), so a slow machine cannot send it under their feet.
    const storage = new RedisThrottlerStorage(redis, prefix, new Set(exact), syncMs);
    const sent = { increments: 0 };
    const sendCommand = redis.sendCommand.bind(redis);
    jest.spyOn(redis, 'sendCommand').mockImplementation((command, stream) => {
      if (command.name === 'evalsha') sent.increments += 1;
      return sendCommand(command, stream);
    });
    // ioredis answers a connection's first NOSCRIPT by sending the script: not counted.
    await storage.increment('warm-up', MINUTE, 1, MINUTE, 'default');
    sent.increments = 0;
    return { storage, sent, redis };
  }

  const hitsInRedis = async (key: string, name = 'default'): Promise<number> =>
    Number((await clients[0].get(`${prefix}throttle:${name}:${key}:hits`)) ?? 0);

  beforeEach(() => {
    prefix = `atrium-test:throttle-spec:${process.pid}_${randomBytes(4).toString('hex')}:`;
  });

  afterAll(async () => {
    const keys = await clients[0]?.keys('atrium-test:throttle-spec:*');
    if (keys?.length) await clients[0].del(...keys);
    await Promise.all(clients.map((c) => c.quit()));
  });

  it('counts a busy key in this process and adds its hits to Redis in one round trip per interval', async () => {
    const { storage, sent } = await replica();
    const totals: number[] = [];
    for (let i = 0; i < 60; i++)
      totals.push((await storage.increment('client', MINUTE, 1000, MINUTE, 'default')).totalHits);

    // Every answer counts every hit so far (the X-RateLimit-Remaining a client reads)…
    expect(totals).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    // …but only the window's first hit went to Redis at once; the rest waits for the interval.
    expect(sent.increments).toBe(1);
    expect(await hitsInRedis('client')).toBe(1);

    await storage.sync();
    expect(await hitsInRedis('client')).toBe(60);
    expect(sent.increments).toBe(2);
  });

  it('sends what it counted on its own, every interval', async () => {
    const { storage } = await replica([], THROTTLE_SYNC_MS);
    for (let i = 0; i < 10; i++) await storage.increment('client', MINUTE, 1000, MINUTE, 'default');
    const deadline = Date.now() + 5_000;
    while ((await hitsInRedis('client')) < 10 && Date.now() < deadline) await sleep(20);
    expect(await hitsInRedis('client')).toBe(10);
  });

  it('decides every hit in Redis once a key is past half its limit, and refuses past the limit', async () => {
    const { storage, sent } = await replica();
    const answers = [];
    let sentByHalf = 0;
    for (let i = 0; i < 22; i++) {
      answers.push(await storage.increment('client', MINUTE, 20, MINUTE, 'default'));
      if (i === 9) sentByHalf = sent.increments;
    }

    expect(answers.map((a) => a.totalHits)).toEqual(Array.from({ length: 22 }, (_, i) => Math.min(i + 1, 21)));
    expect(answers.map((a) => a.isBlocked)).toEqual([...Array<boolean>(20).fill(false), true, true]);
    // Up to half the limit, some hits were counted here (at most a tenth of the limit between sends)…
    expect(sentByHalf).toBeLessThan(10);
    // …and from hit 11 on, every hit was a round trip.
    expect(sent.increments - sentByHalf).toBe(12);
    expect(await hitsInRedis('client')).toBe(21);
  });

  it('sends the hits it counted when the application stops', async () => {
    const { storage, sent } = await replica();
    for (let i = 0; i < 5; i++) await storage.increment('client', MINUTE, 1000, MINUTE, 'default');
    expect(await hitsInRedis('client')).toBe(1);
    await storage.beforeApplicationShutdown();
    expect(await hitsInRedis('client')).toBe(5);
    expect(sent.increments).toBe(2);
  });

  it('opens the Redis breaker when a sync fails, so requests stop waiting on that Redis', async () => {
    const { storage, redis } = await replica();
    for (let i = 0; i < 5; i++) await storage.increment('client', MINUTE, 1000, MINUTE, 'default');
    // What ioredis gives when Redis does not answer (frozen): the pipeline resolves, each command
    // with its timeout error.
    jest.spyOn(redis, 'pipeline').mockReturnValueOnce({
      atriumThrottle: () => undefined,
      exec: () => Promise.resolve([[new Error('Command timed out'), null]]),
    } as never);
    expect(redisBroken(redis)).toBe(false);
    await storage.sync();
    expect(redisBroken(redis)).toBe(true);
  });

  it('keeps a small limit exact: every hit goes to Redis', async () => {
    const { storage, sent } = await replica();
    const blocked = [];
    for (let i = 0; i < 5; i++)
      blocked.push((await storage.increment('client', MINUTE, 3, MINUTE, 'default')).isBlocked);
    expect(blocked).toEqual([false, false, false, true, true]);
    expect(sent.increments).toBe(5);
  });

  it('sends every hit of an exact throttler (sign-in) to Redis', async () => {
    const { storage, sent } = await replica(['auth']);
    for (let i = 0; i < 10; i++) await storage.increment('auth:client', MINUTE, 1000, MINUTE, 'auth');
    expect(sent.increments).toBe(10);
    expect(await hitsInRedis('auth:client', 'auth')).toBe(10);
  });

  it('shares one limit between replicas: a client spread over two is refused at the limit', async () => {
    const replicas = await Promise.all([replica(), replica()]);
    let allowed = 0;
    let refusedAt = -1;
    for (let i = 0; i < 300 && refusedAt < 0; i++) {
      const { storage } = replicas[i % 2];
      const answer = await storage.increment('client', MINUTE, 100, MINUTE, 'default');
      if (answer.isBlocked) refusedAt = i;
      else allowed += 1;
    }
    // Past half the limit each replica asks Redis, which holds every hit by then: exactly the limit.
    expect(allowed).toBe(100);
    expect(refusedAt).toBe(100);
    expect(await hitsInRedis('client')).toBe(101);
  });
});
