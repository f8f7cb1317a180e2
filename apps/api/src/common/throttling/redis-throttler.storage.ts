import { type BeforeApplicationShutdown, Logger } from '@nestjs/common';
import { AsyncResource } from 'node:async_hooks';
import { withRedis } from '../../redis/redis-guard';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type Redis from 'ioredis';

interface ThrottlerStorageRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

// One round trip, atomic across replicas: add `count` hits, start the window on the first hit,
// and block the key for `blockDuration` once the limit is passed. Times are in milliseconds.
const INCREMENT_SCRIPT = `
local hitsKey = KEYS[1]
local blockKey = KEYS[2]
local ttl = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local blockDuration = tonumber(ARGV[3])
local count = tonumber(ARGV[4])
local blockTtl = redis.call('PTTL', blockKey)
if blockTtl > 0 then
  return { tonumber(redis.call('GET', hitsKey) or limit + 1), math.max(redis.call('PTTL', hitsKey), 0), 1, blockTtl }
end
local hits = redis.call('INCRBY', hitsKey, count)
if hits == count then redis.call('PEXPIRE', hitsKey, ttl) end
local hitsTtl = redis.call('PTTL', hitsKey)
if hits > limit then
  redis.call('SET', blockKey, 1, 'PX', blockDuration)
  return { hits, hitsTtl, 1, blockDuration }
end
return { hits, hitsTtl, 0, 0 }
`;

type IncrementReply = [hits: number, hitsTtl: number, blocked: number, blockTtl: number];

type IncrementCommand = (
  hitsKey: string,
  blockKey: string,
  ttlMs: number,
  limit: number,
  blockDurationMs: number,
  count: number,
) => Promise<IncrementReply>;

/** How often the hits counted in this process are added to Redis (one pipeline for every key). */
export const THROTTLE_SYNC_MS = 100;
/** A key is counted in this process only while Redis's count, as last seen, plus ours is below this share of its limit… */
const LOCAL_SHARE = 0.5;
/** …and at most this share of its limit between two syncs (a limit under 10 is always exact). */
const LOCAL_BATCH_SHARE = 0.1;
/** Keys counted in this process at once; past it, new keys go to Redis on every hit. */
const MAX_SLOTS = 10_000;

/** A key counted in this process between two syncs with Redis. */
interface Slot {
  readonly hitsKey: string;
  readonly blockKey: string;
  readonly ttl: number;
  readonly limit: number;
  readonly blockDuration: number;
  /** Redis's count at its last answer: every replica's hits, ours included. */
  seenHits: number;
  /** Hits counted here and not sent yet. */
  unsent: number;
  /** When Redis's window ends, from its last answer (epoch ms). */
  expiresAt: number;
}

/**
 * Rate-limit counters in Redis, shared by every API replica. Written here because
 * `@nest-lab/throttler-storage-redis` declares peer support only up to Nest 11 (docs/DECISIONS.md).
 *
 * A key far from its limit is counted in this process and its hits are added to Redis every
 * THROTTLE_SYNC_MS, one pipeline for all keys, instead of a round trip on every request
 * (docs/DECISIONS.md, decision 95). A key's first hit in a window, every hit once it is past half
 * its limit or blocked, more than a tenth of its limit between two syncs, and every hit of the
 * `auth` limit still go to Redis at once, so the decisions that refuse are Redis's, atomic across
 * replicas.
 */
export class RedisThrottlerStorage implements ThrottlerStorage, BeforeApplicationShutdown {
  private readonly logger = new Logger('Throttler');
  private lastWarning = 0;
  private readonly incrementCommand: IncrementCommand;
  private readonly slots = new Map<string, Slot>();
  private syncTimer: NodeJS.Timeout | null = null;
  /** Made at start, outside any request: the sync timer must not run in (and log as) the request that armed it. */
  private readonly outsideRequests = new AsyncResource('AtriumThrottlerSync');

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** Throttlers whose every hit goes to Redis (sign-in's per-IP budget). */
    private readonly exactThrottlers: ReadonlySet<string> = new Set(),
    private readonly syncMs = THROTTLE_SYNC_MS,
  ) {
    // Sent by its hash (EVALSHA), the script itself only once per connection.
    redis.defineCommand('atriumThrottle', { numberOfKeys: 2, lua: INCREMENT_SCRIPT });
    this.incrementCommand = (redis as unknown as { atriumThrottle: IncrementCommand }).atriumThrottle.bind(redis);
  }

  private warnAtMostEvery30s(message: string): void {
    if (Date.now() - this.lastWarning < 30_000) return;
    this.lastWarning = Date.now();
    this.logger.warn(message);
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const base = `${this.prefix}throttle:${throttlerName}:${key}`;
    const counted = this.countHereAt(base, ttl, limit, blockDuration, throttlerName);
    if (counted !== undefined) return counted;
    const slot = this.slots.get(base);
    // This hit and any counted here but not sent yet.
    const count = 1 + (slot?.unsent ?? 0);
    if (slot !== undefined) slot.unsent = 0;
    const hitsKey = `${base}:hits`;
    const blockKey = `${base}:blocked`;
    return withRedis(
      this.redis,
      async () => {
        const reply = await this.incrementCommand(hitsKey, blockKey, ttl, limit, blockDuration, count);
        this.remember(base, { hitsKey, blockKey, ttl, limit, blockDuration }, reply);
        const [totalHits, timeToExpire, isBlocked, timeToBlockExpire] = reply;
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

  /**
   * The hit counted in this process, without a promise, when its key may be (far from its limit,
   * see the class comment); undefined when it must go to Redis (`increment`). A record from here is
   * never blocked. The guard tries this first, so a request whose every hit is counted here passes
   * its rate limits synchronously (decision 117).
   */
  countHere(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): ThrottlerStorageRecord | undefined {
    return this.countHereAt(`${this.prefix}throttle:${throttlerName}:${key}`, ttl, limit, blockDuration, throttlerName);
  }

  private countHereAt(
    base: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): ThrottlerStorageRecord | undefined {
    const slot = this.slots.get(base);
    const now = Date.now();
    if (
      slot === undefined ||
      this.exactThrottlers.has(throttlerName) ||
      !countsHere(slot, ttl, limit, blockDuration, now, this.syncMs)
    ) {
      return undefined;
    }
    slot.unsent += 1;
    this.scheduleSync();
    return {
      totalHits: slot.seenHits + slot.unsent,
      timeToExpire: Math.ceil((slot.expiresAt - now) / 1000),
      isBlocked: false,
      timeToBlockExpire: 0,
    };
  }

  /** Adds the hits counted here to Redis now (also run every THROTTLE_SYNC_MS while there are any). */
  async sync(): Promise<void> {
    if (this.syncTimer !== null) clearTimeout(this.syncTimer);
    this.syncTimer = null;
    const now = Date.now();
    const batch: Array<[string, Slot, number]> = [];
    for (const [base, slot] of this.slots) {
      if (slot.unsent > 0) {
        batch.push([base, slot, slot.unsent]);
        slot.unsent = 0;
      } else if (spent(slot, now)) {
        this.slots.delete(base);
      }
    }
    if (batch.length === 0) return;
    await withRedis(
      this.redis,
      async () => {
        const pipeline = this.redis.pipeline() as unknown as { atriumThrottle: IncrementCommand; exec: Redis['exec'] };
        for (const [, s, count] of batch) {
          void pipeline.atriumThrottle(s.hitsKey, s.blockKey, s.ttl, s.limit, s.blockDuration, count);
        }
        const replies = (await pipeline.exec()) ?? [];
        const failures: Error[] = [];
        replies.forEach(([error, reply], i) => {
          const [base, slot] = batch[i];
          if (error === null) this.remember(base, slot, reply as IncrementReply);
          else failures.push(error);
        });
        // A pipeline resolves even when its commands fail (an error reply, a dropped connection): thrown,
        // the failure opens the breaker, so requests stop waiting on that Redis (and it is logged).
        if (failures.length > 0) throw failures[0];
      },
      (error) => {
        // The hits of one interval are lost: the limit is missed by that much, never enforced wrongly.
        this.warnAtMostEvery30s(`Rate-limit hits not counted, Redis unavailable: ${(error as Error).message}`);
      },
    );
  }

  private scheduleSync(): void {
    if (this.syncTimer !== null) return;
    this.syncTimer = this.outsideRequests.runInAsyncScope(() => setTimeout(() => void this.sync(), this.syncMs));
    this.syncTimer.unref();
  }

  /** A stopping replica sends the hits it counted, before Redis's client closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.sync();
  }

  /** Keeps Redis's answer for a key, so that its next hits can be counted here. */
  private remember(base: string, params: Omit<Slot, 'seenHits' | 'unsent' | 'expiresAt'>, reply: IncrementReply): void {
    const [hits, hitsTtl, blocked] = reply;
    const slot = this.slots.get(base);
    if (blocked === 1) {
      // Blocked: every hit asks Redis until the block ends (Redis counts none of them meanwhile).
      this.slots.delete(base);
      return;
    }
    const expiresAt = Date.now() + hitsTtl;
    if (slot !== undefined && sameLimit(slot, params.ttl, params.limit, params.blockDuration)) {
      slot.seenHits = hits;
      slot.expiresAt = expiresAt;
      return;
    }
    if (slot === undefined && this.slots.size >= MAX_SLOTS) {
      this.sweep();
      if (this.slots.size >= MAX_SLOTS) return;
    }
    this.slots.set(base, { ...params, seenHits: hits, unsent: slot?.unsent ?? 0, expiresAt });
  }

  /** Forgets the keys whose window has ended and that hold no unsent hits. */
  private sweep(): void {
    const now = Date.now();
    for (const [base, slot] of this.slots) if (spent(slot, now)) this.slots.delete(base);
  }
}

/** Whether this hit can be counted here: the window is known and not ending, the key far from its limit. */
function countsHere(
  slot: Slot,
  ttl: number,
  limit: number,
  blockDuration: number,
  now: number,
  syncMs: number,
): boolean {
  return (
    sameLimit(slot, ttl, limit, blockDuration) &&
    slot.expiresAt - now > 2 * syncMs &&
    slot.unsent + 1 <= Math.floor(limit * LOCAL_BATCH_SHARE) &&
    slot.seenHits + slot.unsent + 1 <= limit * LOCAL_SHARE
  );
}

/** Whether a slot was made for this limit (a throttler's settings, the same on every hit of its key). */
const sameLimit = (slot: Slot, ttl: number, limit: number, blockDuration: number): boolean =>
  slot.ttl === ttl && slot.limit === limit && slot.blockDuration === blockDuration;

/** A slot whose window has ended and that holds no unsent hits: nothing left to know or send. */
const spent = (slot: Slot, now: number): boolean => slot.unsent === 0 && slot.expiresAt <= now;
