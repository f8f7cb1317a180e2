import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { redisReconnectDelay } from './reconnect';
import { setRedisDeadline } from './redis-guard';

export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/** Injects the shared ioredis client, or `null` in embedded mode (no REDIS_URL). */
export const InjectRedis = (): ParameterDecorator => Inject(REDIS_CLIENT);

export function createRedisClient(url: string, logger: Logger, commandTimeoutMs = 500): Redis {
  const client = new Redis(url, {
    // Fail commands at once while disconnected instead of queueing them. A command Redis does not
    // answer (frozen, partitioned) is given up by the deadline below, which every use of this client
    // goes through (withRedis, readiness's timeout): a request must not hang on a dead Redis, and
    // readiness must see the outage. The client keeps reconnecting on its own.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: redisReconnectDelay,
  });
  setRedisDeadline(client, commandTimeoutMs);
  let lastReported = 0;
  client.on('error', (error: Error) => {
    // ioredis emits an error per failed reconnect attempt; one line every 30 s is enough.
    if (Date.now() - lastReported > 30_000) {
      lastReported = Date.now();
      logger.warn(`Redis unavailable: ${error.message}`);
    }
  });
  return client;
}

class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly client: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.client === null) return;
    await this.client.quit().catch(() => this.client?.disconnect());
  }
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Redis | null =>
        config.redisUrl === undefined
          ? null
          : createRedisClient(config.redisUrl, new Logger('Redis'), config.redisCommandTimeoutMs),
    },
    RedisLifecycle,
  ],
  exports: [REDIS_CLIENT],
})
export class RedisModule {}
