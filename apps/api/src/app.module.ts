import { ExportsModule } from './modules/exports/exports.module';
import { MediaModule } from './modules/media/media.module';
import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { seconds, ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import type Redis from 'ioredis';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { LoggerModule } from 'nestjs-pino';
import { CacheModule } from './common/cache';
import { AuthGuard } from './common/auth/auth.guard';
import { AllExceptionsFilter } from './common/filters/all-exceptions.filter';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';
import { buildLoggerOptions } from './common/logging/logger-options';
import { RedisThrottlerStorage } from './common/throttling/redis-throttler.storage';
import { AtriumThrottlerGuard, AUTH_THROTTLER, RateLimitGuard } from './common/throttling/throttler.guard';
import type { AppConfig } from './config/app-config';
import { APP_CONFIG, ConfigModule } from './config/config.module';
import { buildDataSourceOptions } from './database/data-source-options';
import { JobsModule } from './jobs/jobs.module';
import { AdminModule } from './modules/admin/admin.module';
import { AvatarsModule } from './modules/avatars/avatars.module';
import { HealthModule } from './modules/health/health.module';
import { MailModule } from './modules/mail/mail.module';
import { isAuthThrottled } from './common/auth';
import { IdentityModule } from './modules/identity/identity.module';
import { AuthorizationModule } from './modules/authorization/authorization.module';
import { MetricsModule } from './modules/metrics/metrics.module';
import { PostsModule } from './modules/posts/posts.module';
import { TaxonomyModule } from './modules/taxonomy/taxonomy.module';
import { CommentsModule } from './modules/comments/comments.module';
import { FeedsModule } from './modules/feeds/feeds.module';
import { SetupModule } from './modules/setup/setup.module';
import { SystemModule } from './modules/system/system.module';
import { REDIS_CLIENT, RedisModule } from './redis/redis.module';

export interface AppModuleOptions {
  config: AppConfig;
  /** Where the database actually is: `DATABASE_URL`, or the embedded server's loopback URL. */
  databaseUrl: string;
  /** Extra modules (tests mount fixtures that exercise the pipeline). */
  imports?: ModuleMetadata['imports'];
}

/**
 * What every Atrium process (API, worker) stands on: validated config, JSON logs, the database,
 * the shared Redis client, metrics, domain events and the cache.
 */
export function infrastructureImports(config: AppConfig, databaseUrl: string): NonNullable<ModuleMetadata['imports']> {
  return [
    ConfigModule.forRoot(config),
    LoggerModule.forRoot(buildLoggerOptions(config)),
    TypeOrmModule.forRoot({
      ...buildDataSourceOptions({
        url: databaseUrl,
        poolSize: config.databasePoolSize,
        applicationName: `${config.serviceName}@${config.version}`,
        statementTimeoutMs: config.databaseStatementTimeoutMs,
      }),
      // Boot fails fast on a wrong URL instead of retrying for minutes; the orchestrator restarts us.
      retryAttempts: 2,
      retryDelay: 1_000,
    }),
    DatabaseModule,
    RedisModule,
    MetricsModule,
    EventEmitterModule.forRoot({ wildcard: false, ignoreErrors: false }),
    // The worker invalidates what its jobs change (a scheduled post going live, view counts).
    CacheModule,
  ];
}

/** The HTTP API: infrastructure (config, logs, database, Redis, cache) and throttling, plus the domain modules. */
@Module({})
export class AppModule {
  static forRoot({ config, databaseUrl, imports = [] }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...infrastructureImports(config, databaseUrl),
        ThrottlerModule.forRootAsync({
          inject: [APP_CONFIG, REDIS_CLIENT],
          useFactory: (cfg: AppConfig, redis: Redis | null) => ({
            throttlers: [
              { name: 'default', ttl: seconds(cfg.throttle.ttlSeconds), limit: cfg.throttle.limit },
              // Stricter, per client IP, on the auth routes only (before any password is hashed).
              {
                name: AUTH_THROTTLER,
                ttl: seconds(cfg.auth.throttleTtlSeconds),
                limit: cfg.auth.throttleLimit,
                skipIf: (context) => !isAuthThrottled(context),
              },
            ],
            storage: redis ? new RedisThrottlerStorage(redis, cfg.redisPrefix, new Set([AUTH_THROTTLER])) : undefined,
          }),
        }),
        // Without Redis there is no worker: this process runs the jobs itself.
        JobsModule.forRoot({ config, process: config.redisUrl === undefined }),
        EventsModule.forRoot({ poll: true }),
        MailModule,
        IdentityModule,
        AuthorizationModule,
        AvatarsModule,
        AdminModule,
        HealthModule,
        SystemModule,
        SetupModule,
        TaxonomyModule,
        PostsModule,
        CommentsModule,
        MediaModule,
        ExportsModule,
        FeedsModule,
        ...imports,
      ],
      providers: [
        AtriumThrottlerGuard,
        { provide: APP_GUARD, useClass: RateLimitGuard },
        // Deny by default; runs after the throttler (a flood is refused before any token is checked).
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
    };
  }
}
