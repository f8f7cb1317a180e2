import { Logger } from '@nestjs/common';
import { redisReconnectDelay } from '../../redis/reconnect';
import { rethrow, setRedisDeadline, withRedis } from '../../redis/redis-guard';
import Redis from 'ioredis';
import type { CacheKeys, CacheRead, CacheStore } from './cache.store';

/** The longest a cache command may take before it counts as a miss (a frozen Redis, a partition). */
export const CACHE_COMMAND_TIMEOUT_MS = 250;

/**
 * One round trip: reads both tokens, creates the missing ones (atomically, so two readers never
 * file values under different fresh tokens) and, when both existed, reads the value filed under
 * them (a fresh token has nothing filed under it yet). KEYS: generation, version. ARGV: a fresh
 * generation, a fresh version, their TTL in ms, the value key's head and tail (the value key is
 * built here from the tokens, so it cannot be declared in KEYS: fine on one Redis, not on a cluster).
 */
const READ_SCRIPT = `
local tokens = redis.call('MGET', KEYS[1], KEYS[2])
local fresh = false
if not tokens[1] then tokens[1] = ARGV[1]; fresh = true; redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3]) end
if not tokens[2] then tokens[2] = ARGV[2]; fresh = true; redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3]) end
local value = false
if not fresh then value = redis.call('GET', ARGV[4] .. tokens[1] .. '.' .. tokens[2] .. ARGV[5]) end
return { tokens[1], tokens[2], value }
`;

type ReadCommand = (
  generationKey: string,
  versionKey: string,
  freshGeneration: string,
  freshVersion: string,
  ttlMs: number,
  dataHead: string,
  dataTail: string,
) => Promise<[string, string, string | null]>;

/**
 * The cache's own Redis connection, built so that a Redis outage costs a miss and never a wait:
 * no offline queue (commands fail at once while disconnected), no retry of a failed command, and
 * a deadline (CACHE_COMMAND_TIMEOUT_MS, kept by `withRedis`, through which every command goes) for
 * a Redis that accepts commands but does not answer. It reconnects by itself.
 */
export function createCacheRedisClient(url: string, logger = new Logger('Cache')): Redis {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 1_000,
    retryStrategy: redisReconnectDelay,
  });
  setRedisDeadline(client, CACHE_COMMAND_TIMEOUT_MS);
  let lastReported = 0;
  client.on('error', (error: Error) => {
    // One line per failed reconnect attempt would flood the log during an outage.
    if (Date.now() - lastReported > 30_000) {
      lastReported = Date.now();
      logger.warn(`Cache Redis unavailable (the cache misses until it is back): ${error.message}`);
    }
  });
  return client;
}

/** The store with `REDIS_URL`: shared by every replica, under `<prefix>` (e.g. `atrium:cache:`). */
export class RedisCacheStore implements CacheStore {
  private readonly readCommand: ReadCommand;

  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
  ) {
    // A defined command is sent by its hash (EVALSHA), the script itself only once per connection.
    client.defineCommand('atriumCacheRead', { numberOfKeys: 2, lua: READ_SCRIPT });
    const command = (client as unknown as { atriumCacheRead: ReadCommand }).atriumCacheRead;
    this.readCommand = command.bind(client);
  }

  async read(keys: CacheKeys, fresh: () => string, ttlMs: number): Promise<CacheRead> {
    const [generation, version, value] = await this.guarded(() =>
      this.readCommand(
        this.prefix + keys.generation,
        this.prefix + keys.version,
        fresh(),
        fresh(),
        ttlMs,
        this.prefix + keys.dataHead,
        keys.dataTail,
      ),
    );
    return { tokens: { generation, version }, value: value ?? null };
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.guarded(() => this.client.set(this.prefix + key, value, 'PX', ttlMs));
  }

  async bump(tokens: ReadonlyArray<readonly [key: string, token: string]>, ttlMs: number): Promise<void> {
    if (tokens.length === 1) {
      const [[key, token]] = tokens;
      await this.guarded(() => this.client.set(this.prefix + key, token, 'PX', ttlMs));
      return;
    }
    // Several tokens (a change that drops more than one namespace): one pipeline, one round trip.
    await this.guarded(async () => {
      const pipeline = this.client.pipeline();
      for (const [key, token] of tokens) pipeline.set(this.prefix + key, token, 'PX', ttlMs);
      for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
    });
  }

  /**
   * Behind the shared breaker: after a failure, commands fail at once for a moment instead of
   * each waiting out the command timeout (the cache service counts the failure as a miss).
   */
  private guarded<T>(command: () => Promise<T>): Promise<T> {
    return withRedis(this.client, command, rethrow);
  }

  async ready(timeoutMs: number): Promise<void> {
    if (this.client.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.client.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.client.once('ready', done);
    });
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
