import { Injectable, Logger, Module } from '@nestjs/common';
import type Redis from 'ioredis';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { DatabaseModule } from '../../database/database.module';
import { Transactions } from '../../database/transactions';
import { REDIS_CLIENT } from '../../redis/redis.module';
import { DomainEvents } from '../../events/domain-events.publisher';
import { JobRegistry } from '../../jobs/job.registry';
import { AuditModule } from '../audit/audit.module';
import { AuditService } from '../audit/audit.service';
import { PostChangedEvent } from './posts.events';
import { PostsCacheListener } from './posts.listeners';
import { PostsRepository } from './posts.repository';
import { MemoryViewBuffer, RedisViewBuffer, type ViewBuffer } from './views/view-buffer';
import { VIEW_BUFFER, ViewsService } from './views/views.service';

/**
 * The `posts.publish-scheduled` job, in whichever process runs jobs (the worker, or the API in
 * embedded mode): `POST /posts/:id/schedule` enqueues it, delayed until `at`, through the job
 * outbox (so it survives a lost queue and keeps its due time). It publishes the post only if it is
 * still scheduled for that very time: a post rescheduled, published by hand or taken back to
 * draft leaves the job nothing to do, which is how rescheduling "replaces" it.
 */
@Injectable()
export class PublishScheduledJob {
  private readonly logger = new Logger('Posts');

  constructor(
    registry: JobRegistry,
    private readonly posts: PostsRepository,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
  ) {
    registry.handle('posts.publish-scheduled', async ({ postId, at }) => {
      await this.publish(postId, new Date(at));
    });
  }

  async publish(postId: string, at: Date): Promise<boolean> {
    return this.transactions.run(async () => {
      const published = await this.posts.publishIfScheduledFor(postId, at);
      if (!published) {
        this.logger.log(`post ${postId}: no longer scheduled for ${at.toISOString()}; nothing to publish`);
        return false;
      }
      await this.audit.record({
        actorId: null,
        action: 'post.published',
        target: `post:${postId}`,
        metadata: { scheduledFor: at.toISOString() },
      });
      await this.events.publish(new PostChangedEvent(postId, 'published'));
      return true;
    });
  }
}

/** The posts' background work, for the API (embedded mode) and the worker alike. */
@Module({
  imports: [AuditModule, DatabaseModule],
  providers: [
    PostsRepository,
    PublishScheduledJob,
    // In the worker too: a scheduled post going live there must reach the readers' caches.
    PostsCacheListener,
    {
      provide: VIEW_BUFFER,
      inject: [APP_CONFIG, REDIS_CLIENT],
      useFactory: (config: AppConfig, redis: Redis | null): ViewBuffer =>
        redis ? new RedisViewBuffer(redis, config.redisPrefix) : new MemoryViewBuffer(),
    },
    ViewsService,
  ],
  exports: [PostsRepository, ViewsService],
})
export class PostsJobsModule {}
