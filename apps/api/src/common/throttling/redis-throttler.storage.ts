import { Logger } from '@nestjs/common';
import { withRedis } from '../../redis/redis-guard';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type Redis from 'ioredis';

interface ThrottlerStorageRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

// One round trip, atomic across replicas: count the hit, start the window on the first hit,
// and block the key for `blockDuration` once the limit is passed. Times are in milliseconds.
const INCREMENT_SCRIPT = `
local hitsKey = KEYS[1]
local blockKey = KEYS[2]
local ttl = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local blockDuration = tonumber(ARGV[3])
local blockTtl = redis.call('PTTL', blockKey)
if blockTtl > 0 then
  return { tonumber(redis.call('GET', hitsKey) or limit + 1), math.max(redis.call('PTTL', hitsKey), 0), 1, blockTtl }
end
local hits = redis.call('INCR', hitsKey)
if hits == 1 then redis.call('PEXPIRE', hitsKey, ttl) end
local hitsTtl = redis.call('PTTL', hitsKey)
if hits > limit then
  redis.call('SET', blockKey, 1, 'PX', blockDuration)
  return { hits, hitsTtl, 1, blockDuration }
end
return { hits, hitsTtl, 0, 0 }
`;

type IncrementCommand = (
  hitsKey: string,
  blockKey: string,
  ttlMs: number,
  limit: number,
  blockDurationMs: number,
) => Promise<[number, number, number, number]>;

/**
 * Rate-limit counters in Redis, shared by every API replica. Written here because
 * `@nest-lab/throttler-storage-redis` declares peer support only up to Nest 11 (docs/DECISIONS.md).
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('Throttler');
  private lastWarning = 0;

  private warnAtMostEvery30s(message: string): void {
    if (Date.now() - this.lastWarning < 30_000) return;
    this.lastWarning = Date.now();
    this.logger.warn(message);
  }

  private readonly incrementCommand: IncrementCommand;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    // Sent by its hash (EVALSHA) on every request, the script itself only once per connection.
    redis.defineCommand('atriumThrottle', { numberOfKeys: 2, lua: INCREMENT_SCRIPT });
    this.incrementCommand = (redis as unknown as { atriumThrottle: IncrementCommand }).atriumThrottle.bind(redis);
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const base = `${this.prefix}throttle:${throttlerName}:${key}`;
    return withRedis(
      this.redis,
      async () => {
        const [totalHits, timeToExpire, isBlocked, timeToBlockExpire] = await this.incrementCommand(
          `${base}:hits`,
          `${base}:blocked`,
          ttl,
          limit,
          blockDuration,
        );
        return {
          totalHits,
          timeToExpire: Math.ceil(timeToExpire / 1000),
          isBlocked: isBlocked === 1,
          timeToBlockExpire: Math.ceil(timeToBlockExpire / 1000),
        };
      },
      (error) => {
        // Fail open (docs/OPERATIONS.md): refusing every request during a Redis outage would turn
        // a rate-limit outage into an API outage. Sign-in keeps its per-account lockout (Postgres).
        this.warnAtMostEvery30s(`Rate limiting skipped, Redis unavailable: ${(error as Error).message}`);
        return { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };
      },
    );
  }
}
