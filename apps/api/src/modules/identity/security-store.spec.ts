import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AppConfig } from '../../config/app-config';
import { createRedisClient } from '../../redis/redis.module';
import { SecurityStore } from './security-store';

/** The shared Redis of the test machine; every test here works under a prefix of its own. */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it holds (true) or `ms` pass (false). */
async function eventually(check: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(10)) if (check()) return true;
  return check();
}

describe('SecurityStore: revoked sessions across replicas (decision 123)', () => {
  const clients: Redis[] = [];
  const stores: SecurityStore[] = [];
  let prefix: string;

  /** A replica's store: its own shared client, as each API process has. */
  const replica = (redisPrefix = prefix): { store: SecurityStore; client: Redis } => {
    const client = createRedisClient(REDIS_URL, new Logger('security-store-spec'));
    clients.push(client);
    const store = new SecurityStore(client, { redisPrefix } as AppConfig);
    stores.push(store);
    return { store, client };
  };

  beforeEach(() => {
    prefix = `atrium-test:security-store:${process.pid}_${randomBytes(4).toString('hex')}:`;
  });

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.onApplicationShutdown()));
    await Promise.all(clients.splice(0).map((client) => client.quit().catch(() => client.disconnect())));
  });

  it('a sign-out on one replica is known to another, whose checks then send nothing to Redis', async () => {
    const a = replica();
    const b = replica();
    await b.store.listening();
    const family = randomUUID();
    const other = randomUUID();
    expect(b.store.isDenied(family)).toBe(false);

    await a.store.deny(family, 60);
    expect(a.store.isDenied(family)).toBe(true);
    expect(await eventually(() => b.store.isDenied(family), 5_000)).toBe(true);

    // A check is a lookup in the process's memory: no command on the replica's connection.
    const sent = jest.spyOn(b.client, 'sendCommand');
    expect([b.store.isDenied(family), b.store.isDenied(other)]).toEqual([true, false]);
    expect(sent).not.toHaveBeenCalled();
  });

  it('keeps a revocation for the tokens’ lifetime only, and hears nothing of another deployment', async () => {
    const a = replica();
    const b = replica();
    const elsewhere = replica(`${prefix}elsewhere:`);
    await Promise.all([b.store.listening(), elsewhere.store.listening()]);
    const brief = randomUUID();
    const lasting = randomUUID();

    await a.store.deny(brief, 1);
    await a.store.deny(lasting, 60);
    expect(await eventually(() => b.store.isDenied(lasting), 5_000)).toBe(true);
    expect(b.store.isDenied(brief)).toBe(true);
    await sleep(1_100);
    expect([a.store.isDenied(brief), b.store.isDenied(brief)]).toEqual([false, false]);
    expect([a.store.isDenied(lasting), b.store.isDenied(lasting)]).toEqual([true, true]);
    // Another deployment on the same Redis (another REDIS_PREFIX) has its own channel.
    expect(elsewhere.store.isDenied(lasting)).toBe(false);
  });

  it('ignores an announcement that is not a session and a lifetime', async () => {
    const b = replica();
    await b.store.listening();
    const family = randomUUID();
    const [publisher] = clients;
    for (const message of [`${family} -5`, `${family} soon`, `not-a-session 60`, family]) {
      await publisher.publish(`${prefix}auth:revoked`, message);
    }
    const valid = randomUUID();
    await publisher.publish(`${prefix}auth:revoked`, `${valid} 60`);
    // Announcements arrive in order: once the valid one is heard, the others were ignored.
    expect(await eventually(() => b.store.isDenied(valid), 5_000)).toBe(true);
    expect(b.store.isDenied(family)).toBe(false);
  });

  it('without Redis (embedded mode), remembers its own sign-outs and never fails', async () => {
    const store = new SecurityStore(null, { redisPrefix: prefix } as AppConfig);
    const family = randomUUID();
    await store.listening();
    expect(store.isDenied(family)).toBe(false);
    await store.deny(family, 60);
    expect(store.isDenied(family)).toBe(true);
  });
});
