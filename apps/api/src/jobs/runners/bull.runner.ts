import { Logger } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { JobRunner, JobState, type QueueName } from '@atrium/contracts';
import { PermanentJobError } from '../job-errors';
import { JOB_QUEUES, type JobName, type Schedule } from '../job-definitions';
import { JobRegistry } from '../job.registry';
import type { JobsConfig } from '../../config/app-config';
import { type AddJobOptions, type JobQueueRunner, type JobSummary, type QueueCounts } from './job-runner';

/**
 * Services mode: queues in Redis through Bull. API replicas only add jobs; worker replicas call
 * `startProcessing`. A job whose worker dies keeps its lock only for JOB_LOCK_DURATION_MS; another
 * worker's stalled check then puts it back in the queue.
 */
export class BullJobRunner implements JobQueueRunner {
  readonly kind = JobRunner.REDIS;
  private readonly logger = new Logger('Jobs');

  constructor(
    private readonly queues: ReadonlyMap<QueueName, Queue>,
    private readonly registry: JobRegistry,
    private readonly config: JobsConfig,
  ) {}

  private queue(name: QueueName): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`Unknown queue "${name}"`);
    return queue;
  }

  async add(queueName: QueueName, name: string, payload: unknown, options: AddJobOptions): Promise<string> {
    const queue = this.queue(queueName);
    // Fail at once rather than queue the command in memory until Redis returns: the caller decides.
    if (queue.client.status !== 'ready') await this.ready(queue);
    const job = await queue.add(name, payload, {
      delay: options.delay > 0 ? options.delay : undefined,
      jobId: options.jobId,
      attempts: options.attempts,
      backoff: { type: 'exponential', delay: options.backoffMs },
      removeOnComplete: 1000,
      removeOnFail: false,
    });
    return String(job.id);
  }

  private async ready(queue: Queue): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('Job queue (Redis) unavailable')), 2_000);
    });
    await Promise.race([queue.isReady(), timeout]).finally(() => clearTimeout(timer));
  }

  async startProcessing(): Promise<void> {
    for (const [queueName, queue] of this.queues) {
      await queue.isReady();
      // `process` resolves only when the queue closes: it is the processing loop itself.
      queue
        .process('*', this.config.concurrency, (job: Job) => this.run(queueName, job))
        .catch((error: unknown) => this.logger.error(`Queue ${queueName} stopped processing: ${String(error)}`));
      queue.on('stalled', (job: Job) =>
        this.logger.warn(`${queueName}/${job.name} #${String(job.id)} stalled (its worker died); requeued`),
      );
    }
    this.logger.log(
      `Processing queues ${[...this.queues.keys()].join(', ')} on Redis (concurrency ${this.config.concurrency})`,
    );
  }

  private async run(queue: QueueName, job: Job): Promise<void> {
    const context = {
      id: String(job.id),
      queue,
      name: job.name as JobName,
      attempt: job.attemptsMade + 1,
      attempts: job.opts.attempts ?? 1,
    };
    try {
      await this.registry.execute(job.name, job.data, context);
    } catch (error) {
      // Bull retries every failure unless the job is discarded.
      if (error instanceof PermanentJobError) void job.discard();
      throw error;
    }
  }

  async registerSchedules(schedules: readonly Schedule[]): Promise<void> {
    for (const { name, cron } of schedules) {
      const queue = this.queue(JOB_QUEUES[name]);
      // A changed cron expression leaves the old repetition behind; remove it so only one runs.
      for (const repeatable of await queue.getRepeatableJobs()) {
        if (repeatable.name === name && repeatable.cron !== cron) await queue.removeRepeatableByKey(repeatable.key);
      }
      // Bull keys a repeatable job by name, id and cron: every replica adding it adds the same one.
      await queue.add(name, {}, { repeat: { cron, tz: 'UTC' }, jobId: name, removeOnComplete: 100 });
    }
  }

  async counts(): Promise<QueueCounts> {
    const entries = await Promise.all(
      [...this.queues].map(async ([name, queue]) => {
        const counts = await queue.getJobCounts();
        const states = {
          waiting: counts.waiting,
          active: counts.active,
          delayed: counts.delayed,
          failed: counts.failed,
        };
        return [name, states] as const;
      }),
    );
    return Object.fromEntries(entries) as QueueCounts;
  }

  async getJob(queueName: QueueName, id: string): Promise<JobSummary | undefined> {
    const job = await this.queue(queueName).getJob(id);
    if (!job) return undefined;
    const state = await job.getState();
    return {
      id: String(job.id),
      name: job.name,
      // Bull's extra states (paused, stuck) are waiting as far as anyone outside is concerned.
      state: (Object.values(JobState) as string[]).includes(state) ? (state as JobState) : JobState.WAITING,
      attemptsMade: job.attemptsMade,
      failedReason: job.failedReason,
    };
  }

  async ping(): Promise<void> {
    for (const queue of this.queues.values()) {
      // A queue connects lazily: wait for a first connection, but report a lost one at once.
      const status = queue.client.status;
      if (status === 'reconnecting' || status === 'end' || status === 'close') {
        throw new Error('Job queue (Redis) unavailable');
      }
      if (status !== 'ready') await this.ready(queue);
      await queue.client.ping();
    }
  }

  async cleanFailed(olderThanMs: number): Promise<number> {
    let removed = 0;
    for (const queue of this.queues.values()) removed += (await queue.clean(olderThanMs, 'failed')).length;
    return removed;
  }

  async close(): Promise<void> {
    // Bull's close waits for the jobs this process is running, then releases its connections.
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }
}
