import { Logger } from '@nestjs/common';
import { redisReconnectDelay } from '../../redis/reconnect';
import { rethrow, setRedisDeadline, withRedis } from '../../redis/redis-guard';
import Redis from 'ioredis';
import { TurnBatch } from '../../redis/turn-batch';
import type { CacheKeys, CacheRead, CacheStore } from './cache.store';

/** The longest a cache command may take before it counts as a miss (a frozen Redis, a partition). */
export const CACHE_COMMAND_TIMEOUT_MS = 250;

/**
 * The reads of one turn of the event loop in one round trip (docs/DECISIONS.md 125). For each read:
 * reads both tokens, creates the missing ones (atomically, so two readers never file values under
 * different fresh tokens) and, when both existed, reads the value filed under them (a fresh token
 * has nothing filed under it yet). KEYS: each read's generation and version. ARGV, five per read: a
 * fresh generation, a fresh version, their TTL in ms, the value key's head and tail (the value key
 * is built here from the tokens, so it cannot be declared in KEYS: fine on one Redis, not on a
 * cluster). Answers three values per read: its generation, its version and its value (or nil).
 */
const READ_SCRIPT = `
local found = {}
for i = 1, #KEYS / 2 do
  local generationKey, versionKey, a = KEYS[2 * i - 1], KEYS[2 * i], 5 * (i - 1)
  local tokens = redis.call('MGET', generationKey, versionKey)
  local fresh = false
  if not tokens[1] then tokens[1] = ARGV[a + 1]; fresh = true; redis.call('SET', generationKey, ARGV[a + 1], 'PX', ARGV[a + 3]) end
  if not tokens[2] then tokens[2] = ARGV[a + 2]; fresh = true; redis.call('SET', versionKey, ARGV[a + 2], 'PX', ARGV[a + 3]) end
  local value = false
  if not fresh then value = redis.call('GET', ARGV[a + 4] .. tokens[1] .. '.' .. tokens[2] .. ARGV[a + 5]) end
  found[3 * i - 2] = tokens[1]
  found[3 * i - 1] = tokens[2]
  found[3 * i] = value
end
return found
`;

/** Reads sent in one script call at most (the script holds Redis while it runs). */
export const MAX_CACHE_READS_PER_CALL = 128;

/** The number of keys (two per read), the keys, then five arguments per read (READ_SCRIPT). */
type ReadCommand = (numberOfKeys: number, ...keysThenArgs: Array<string | number>) => Promise<Array<string | null>>;

interface WaitingRead {
  keys: CacheKeys;
  generation: string;
  version: string;
  ttlMs: number;
}

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
  private readonly reads: TurnBatch<WaitingRead, CacheRead>;

  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
  ) {
    // A defined command is sent by its hash (EVALSHA), the script itself only once per connection.
    // The number of keys varies with the batch: it goes first in each call.
    client.defineCommand('atriumCacheRead', { lua: READ_SCRIPT });
    const command = (client as unknown as { atriumCacheRead: ReadCommand }).atriumCacheRead;
    this.readCommand = command.bind(client);
    this.reads = new TurnBatch((reads) => this.readAll(reads), MAX_CACHE_READS_PER_CALL);
  }

  /** A failed call fails each of its reads (each a miss to CacheService). */
  read(keys: CacheKeys, fresh: () => string, ttlMs: number): Promise<CacheRead> {
    return this.reads.add({ keys, generation: fresh(), version: fresh(), ttlMs });
  }

  private async readAll(reads: WaitingRead[]): Promise<CacheRead[]> {
    const keys: string[] = [];
    const args: Array<string | number> = [];
    for (const read of reads) {
      keys.push(this.prefix + read.keys.generation, this.prefix + read.keys.version);
      args.push(read.generation, read.version, read.ttlMs, this.prefix + read.keys.dataHead, read.keys.dataTail);
    }
    const found = await this.guarded(() => this.readCommand(keys.length, ...keys, ...args));
    return reads.map((_, i) => ({
      tokens: { generation: found[3 * i] as string, version: found[3 * i + 1] as string },
      value: found[3 * i + 2] ?? null,
    }));
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
