import { Inject, Injectable, Optional } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.module';
import type { QueueName } from '@atrium/contracts';
import { type EnqueueOptions, JOB_QUEUES, type JobName, type JobPayloads } from './job-definitions';
import { type AddJobOptions, JOB_RUNNER, type JobQueueRunner } from './runners/job-runner';

/**
 * Where jobs are written first when the process has a database: the transactional outbox
 * (events/job-outbox.ts), which hands them to the queue after commit and again if the queue lost
 * them. Absent only where no database is open (the CLI's mail:test).
 */
export interface JobOutbox {
  enqueue(queue: QueueName, name: JobName, payload: unknown, options: AddJobOptions): Promise<string>;
}
export const JOB_OUTBOX = Symbol('JobOutbox');

/** The one way code enqueues background work (services never do slow work inline: docs/ARCHITECTURE.md). */
@Injectable()
export class JobsService {
  constructor(
    @Inject(JOB_RUNNER) private readonly runner: JobQueueRunner,
    @InjectConfig() private readonly config: AppConfig,
    @Optional() @Inject(JOB_OUTBOX) private readonly outbox?: JobOutbox,
  ) {}

  /**
   * Adds a job — in the caller's transaction, through the outbox — and returns its id. Defaults: JOB_ATTEMPTS tries with exponential backoff from
   * JOB_BACKOFF_MS. With a `jobId`, a job that already exists under that id is not added again.
   */
  enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options: EnqueueOptions = {}): Promise<string> {
    const delay = options.delay ?? 0;
    const add: AddJobOptions = {
      delay,
      ...(delay > 0 && { dueAt: Date.now() + delay }),
      jobId: options.jobId,
      attempts: options.attempts ?? this.config.jobs.attempts,
      backoffMs: this.config.jobs.backoffMs,
    };
    return this.outbox
      ? this.outbox.enqueue(JOB_QUEUES[name], name, payload, add)
      : this.runner.add(JOB_QUEUES[name], name, payload, add);
  }
}
