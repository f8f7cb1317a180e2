import { Global, Module } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { DatabaseModule } from '../../database/database.module';
import { CACHE_STORE, CacheService } from './cache.service';
import { type CacheStore, MemoryCacheStore } from './cache.store';
import { PublicContentCache } from './public-content.cache';
import { createCacheRedisClient, RedisCacheStore } from './redis-cache.store';

/**
 * The one cache (`CacheService`), global like the config: Redis under `<REDIS_PREFIX>cache:` when
 * REDIS_URL is set (its own connection, see `createCacheRedisClient`), this process's memory otherwise.
 */
@Global()
@Module({
  imports: [DatabaseModule],
  providers: [
    {
      provide: CACHE_STORE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): CacheStore =>
        config.redisUrl === undefined
          ? new MemoryCacheStore()
          : new RedisCacheStore(createCacheRedisClient(config.redisUrl), `${config.redisPrefix}cache:`),
    },
    CacheService,
    PublicContentCache,
  ],
  exports: [CacheService, PublicContentCache],
})
export class CacheModule {}
