import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.module';
import { type EnqueueOptions, JOB_QUEUES, type JobName, type JobPayloads } from './job-definitions';
import { JOB_RUNNER, type JobQueueRunner } from './runners/job-runner';

/** The one way code enqueues background work (services never do slow work inline: docs/ARCHITECTURE.md). */
@Injectable()
export class JobsService {
  constructor(
    @Inject(JOB_RUNNER) private readonly runner: JobQueueRunner,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /**
   * Adds a job; returns its id. Defaults: JOB_ATTEMPTS tries with exponential backoff from
   * JOB_BACKOFF_MS. With a `jobId`, a job that already exists under that id is not added again.
   */
  enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options: EnqueueOptions = {}): Promise<string> {
    return this.runner.add(JOB_QUEUES[name], name, payload, {
      delay: options.delay ?? 0,
      jobId: options.jobId,
      attempts: options.attempts ?? this.config.jobs.attempts,
      backoffMs: this.config.jobs.backoffMs,
    });
  }
}
