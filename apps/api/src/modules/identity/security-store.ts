import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import { InjectRedis } from '../../redis/redis.module';
import { withRedis } from '../../redis/redis-guard';

/** How many revoked sessions a process remembers; past it the oldest is forgotten (Postgres still knows). */
export const DENIED_ENTRIES = 100_000;

const FAMILY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The revoked sessions this process knows of (decision 123). A revocation is remembered here and,
 * with REDIS_URL, announced to every replica over Redis pub/sub (`<prefix>auth:revoked`); each
 * replica remembers the announcements it hears. A check is a lookup in this process's memory, not
 * a round trip. It only speeds up "revoked" answers: the sessions table stays the truth, and a
 * session not known here is confirmed there (SessionsService.isRevoked, whose "live" answer lasts
 * one second), so an announcement lost to a Redis outage delays a revocation on another replica by
 * at most that second. Never throws: an outage only loses announcements.
 */
@Injectable()
export class SecurityStore implements OnApplicationShutdown {
  private readonly logger = new Logger('Revocation');
  /** Revoked session families, until when (ms since the epoch). */
  private readonly denied = new Map<string, number>();
  /** The connection announcements are heard on, opened by the first check (never in the worker or the CLI). */
  private subscriber: Redis | null = null;
  private subscribed: Promise<void> | null = null;

  constructor(
    @InjectRedis() private readonly redis: Redis | null,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  private get channel(): string {
    return `${this.config.redisPrefix}auth:revoked`;
  }

  /** Remembers `familyId` as revoked for `ttlSeconds` (its access tokens' lifetime) and tells the other replicas. */
  async deny(familyId: string, ttlSeconds: number): Promise<void> {
    this.remember(familyId, ttlSeconds);
    if (!this.redis) return;
    await withRedis(
      this.redis,
      async (redis) => {
        await redis.publish(this.channel, `${familyId} ${ttlSeconds}`);
      },
      (error) =>
        this.logger.warn(
          `Sign-out not announced to the other replicas (the sessions table has it): ${(error as Error).message}`,
        ),
    );
  }

  /** True only when this process knows `familyId` revoked; false means "ask the sessions table". */
  isDenied(familyId: string): boolean {
    if (this.subscriber === null) this.listen();
    const until = this.denied.get(familyId);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.denied.delete(familyId);
    return false;
  }

  /** Resolves once this process hears other replicas' revocations (at once without Redis). */
  listening(): Promise<void> {
    this.listen();
    return this.subscribed ?? Promise.resolve();
  }

  private listen(): void {
    if (this.subscriber !== null || this.redis === null) return;
    // A connection of its own (a subscribed connection sends nothing else). It queues the
    // subscription until it is connected and subscribes again after every reconnect.
    const subscriber = this.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
    this.subscriber = subscriber;
    let lastReported = 0;
    subscriber.on('error', (error: Error) => {
      if (Date.now() - lastReported > 30_000) {
        lastReported = Date.now();
        this.logger.warn(`Not hearing other replicas' sign-outs (each is confirmed in Postgres): ${error.message}`);
      }
    });
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      const [familyId, ttl] = message.split(' ');
      const ttlSeconds = Number(ttl);
      if (FAMILY_ID.test(familyId) && Number.isInteger(ttlSeconds) && ttlSeconds > 0) {
        this.remember(familyId, ttlSeconds);
      }
    });
    this.subscribed = subscriber.subscribe(this.channel).then(
      () => undefined,
      (error: Error) => this.logger.warn(`Could not listen for other replicas' sign-outs: ${error.message}`),
    );
  }

  private remember(familyId: string, ttlSeconds: number): void {
    this.denied.delete(familyId);
    if (this.denied.size >= DENIED_ENTRIES) this.denied.delete(this.denied.keys().next().value as string);
    this.denied.set(familyId, Date.now() + ttlSeconds * 1000);
  }

  async onApplicationShutdown(): Promise<void> {
    const subscriber = this.subscriber;
    if (subscriber === null) return;
    await subscriber.quit().catch(() => subscriber.disconnect());
  }
}
