import { Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import { InjectRedis } from '../../redis/redis.module';

/**
 * Short-lived security state shared by every replica: revoked session ids (the access-token
 * denylist) and failed sign-in counters. Redis with REDIS_URL; process memory without it
 * (embedded mode is one process).
 */
@Injectable()
export class SecurityStore {
  private readonly memory = new Map<string, { value: number; expiresAt: number }>();

  constructor(
    @InjectRedis() private readonly redis: Redis | null,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  private key(name: string): string {
    return `${this.config.redisPrefix}auth:${name}`;
  }

  private live(name: string): { value: number; expiresAt: number } | undefined {
    const entry = this.memory.get(name);
    if (entry && entry.expiresAt <= Date.now()) {
      this.memory.delete(name);
      return undefined;
    }
    return entry;
  }

  async set(name: string, ttlSeconds: number): Promise<void> {
    if (this.redis) {
      await this.redis.set(this.key(name), '1', 'EX', ttlSeconds);
      return;
    }
    this.memory.set(name, { value: 1, expiresAt: Date.now() + ttlSeconds * 1000 });
  }

  async has(name: string): Promise<boolean> {
    if (this.redis) return (await this.redis.exists(this.key(name))) === 1;
    return this.live(name) !== undefined;
  }

  /** Seconds until `name` expires; 0 when it does not exist. */
  async ttl(name: string): Promise<number> {
    if (this.redis) return Math.max(await this.redis.ttl(this.key(name)), 0);
    const entry = this.live(name);
    return entry ? Math.ceil((entry.expiresAt - Date.now()) / 1000) : 0;
  }

  /** Adds one; the window starts with the first increment. Returns the new count. */
  async increment(name: string, windowSeconds: number): Promise<number> {
    if (this.redis) {
      const [[, count]] = (await this.redis
        .multi()
        .incr(this.key(name))
        .expire(this.key(name), windowSeconds, 'NX')
        .exec()) as [[Error | null, number]];
      return count;
    }
    const entry = this.live(name) ?? { value: 0, expiresAt: Date.now() + windowSeconds * 1000 };
    entry.value += 1;
    this.memory.set(name, entry);
    return entry.value;
  }

  async delete(name: string): Promise<void> {
    if (this.redis) await this.redis.del(this.key(name));
    else this.memory.delete(name);
  }
}
