import { BullModule, getQueueToken } from '@nestjs/bull';
import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Queue } from 'bull';
import type { AppConfig } from '../config/app-config';
import { MetricsService } from '../modules/metrics/metrics.service';
import { redisReconnectDelay } from '../redis/reconnect';
import { ALL_QUEUES, SCHEDULES } from './job-definitions';
import { JobRegistry } from './job.registry';
import { JobsService } from './jobs.service';
import { MaintenanceProcessor } from './maintenance.processor';
import { BullJobRunner } from './runners/bull.runner';
import { InProcessJobRunner } from './runners/in-process.runner';
import { JOB_RUNNER, type JobQueueRunner } from './runners/job-runner';

export interface JobsModuleOptions {
  config: AppConfig;
  /** Run jobs in this process: the worker, or the API itself when there is no Redis. */
  process: boolean;
}

const JOBS_OPTIONS = Symbol('JOBS_OPTIONS');

/** Starts processing and the schedules once every module (processors included) is ready; drains first on shutdown. */
@Injectable()
class JobsLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Jobs');

  constructor(
    @Inject(JOB_RUNNER) private readonly runner: JobQueueRunner,
    @Inject(JOBS_OPTIONS) private readonly options: JobsModuleOptions,
    metrics: MetricsService,
  ) {
    metrics.setQueueCountsSource(() => runner.counts());
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.process) {
      this.logger.log('Jobs are enqueued on Redis; worker processes (npm run start:worker) run them');
      return;
    }
    await this.runner.startProcessing();
    await this.runner.registerSchedules(SCHEDULES);
  }

  /** Before connections close: running jobs finish (SIGTERM), then the runner lets go of Redis. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.close();
  }
}

/**
 * Background jobs: Bull queues on Redis when REDIS_URL is set, the in-process runner otherwise.
 * Processors register their handlers with `JobRegistry`; producers use `JobsService`.
 */
@Global()
@Module({})
export class JobsModule {
  static forRoot(options: JobsModuleOptions): DynamicModule {
    const { config } = options;
    const redisUrl = config.redisUrl;
    return {
      module: JobsModule,
      imports:
        redisUrl === undefined
          ? []
          : [
              BullModule.forRoot({
                url: redisUrl,
                // Bull's own reconnect delay grows to 20 s; ours is back within 2 s of Redis.
                redis: { retryStrategy: redisReconnectDelay },
                prefix: `${config.redisPrefix}bull`,
                settings: {
                  stalledInterval: config.jobs.stalledIntervalMs,
                  lockDuration: config.jobs.lockDurationMs,
                  // A job whose worker died once is retried; dying twice on it fails the job.
                  maxStalledCount: 1,
                },
              }),
              BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name }))),
            ],
      providers: [
        { provide: JOBS_OPTIONS, useValue: options },
        JobRegistry,
        JobsService,
        redisUrl === undefined
          ? {
              provide: JOB_RUNNER,
              inject: [JobRegistry],
              useFactory: (registry: JobRegistry): JobQueueRunner =>
                new InProcessJobRunner(registry, config.jobs.concurrency),
            }
          : {
              provide: JOB_RUNNER,
              inject: [JobRegistry, ...ALL_QUEUES.map((name) => getQueueToken(name))],
              useFactory: (registry: JobRegistry, ...queues: Queue[]): JobQueueRunner =>
                new BullJobRunner(new Map(ALL_QUEUES.map((name, i) => [name, queues[i]])), registry, config.jobs),
            },
        JobsLifecycle,
        MaintenanceProcessor,
      ],
      exports: [JobsService, JobRegistry, JOB_RUNNER, MaintenanceProcessor],
    };
  }
}
