import { DynamicModule, Module } from '@nestjs/common';
import { infrastructureImports } from './app.module';
import type { AppConfig } from './config/app-config';
import { EventsModule } from './events/events.module';
import { JobsModule } from './jobs/jobs.module';
import { CommentsJobsModule } from './modules/comments/comment-mail.job';
import { ExportsJobsModule } from './modules/exports/exports.module';
import { PostsJobsModule } from './modules/posts/publish-scheduled.job';
import { IdentityMaintenanceModule } from './modules/identity/identity-maintenance';
import { MailModule } from './modules/mail/mail.module';

/** The worker process: Atrium's infrastructure and the job processors, no HTTP API. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ...infrastructureImports(config, databaseUrl),
        JobsModule.forRoot({ config, process: true }),
        // Jobs are acknowledged in the outbox when done; the worker does not poll it (the API does).
        EventsModule.forRoot({ poll: false }),
        MailModule,
        IdentityMaintenanceModule,
        PostsJobsModule,
        CommentsJobsModule,
        ExportsJobsModule,
      ],
    };
  }
}
