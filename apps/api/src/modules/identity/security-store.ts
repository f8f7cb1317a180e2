import { Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import { InjectRedis } from '../../redis/redis.module';
import { withRedis } from '../../redis/redis-guard';

/**
 * The revoked-session denylist shared by every replica: Redis with REDIS_URL, process memory
 * without it (embedded mode is one process). It only speeds up "revoked" answers: the sessions
 * table stays the truth, and a miss (or an unreachable Redis) is confirmed there
 * (SessionsService.isRevoked). Never throws: an outage is a miss.
 */
@Injectable()
export class SecurityStore {
  private readonly logger = new Logger('Revocation');
  private readonly memory = new Map<string, number>();

  constructor(
    @InjectRedis() private readonly redis: Redis | null,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  private key(familyId: string): string {
    return `${this.config.redisPrefix}auth:revoked-sid:${familyId}`;
  }

  async deny(familyId: string, ttlSeconds: number): Promise<void> {
    if (!this.redis) {
      this.memory.set(familyId, Date.now() + ttlSeconds * 1000);
      return;
    }
    await withRedis(
      this.redis,
      async (redis) => {
        await redis.set(this.key(familyId), '1', 'EX', ttlSeconds);
      },
      (error) => this.logger.warn(`Denylist not updated (the sessions table has it): ${(error as Error).message}`),
    );
  }

  /** True only when the denylist says revoked; false on a miss or when Redis cannot answer. */
  async isDenied(familyId: string): Promise<boolean> {
    if (!this.redis) {
      const until = this.memory.get(familyId);
      if (until !== undefined && until <= Date.now()) this.memory.delete(familyId);
      return until !== undefined && until > Date.now();
    }
    return withRedis(
      this.redis,
      async (redis) => (await redis.exists(this.key(familyId))) === 1,
      () => false,
    );
  }
}
