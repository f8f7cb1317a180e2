import { Logger } from '@nestjs/common';
import type { Job, JobStatus, Queue } from 'bull';
import { JobRunner, JobState, type QueueName } from '@atrium/contracts';
import { PermanentJobError } from '../job-errors';
import { JOB_QUEUES, type JobName, type Schedule } from '../job-definitions';
import { JobRegistry } from '../job.registry';
import type { JobsConfig } from '../../config/app-config';
import {
  type AddJobOptions,
  type JobList,
  type JobPage,
  type JobQueueRunner,
  type JobSummary,
  type QueueCounts,
  type RemoveJobResult,
  type RetryJobResult,
  summarizeJobData,
} from './job-runner';

/**
 * Where Bull keeps the jobs of each state. A paused queue moves its waiting jobs to `paused`,
 * so at most one of the two lists has jobs at a time and a page never spans both.
 */
const BULL_STATES: Readonly<Record<JobState, JobStatus[]>> = {
  [JobState.WAITING]: ['waiting', 'paused'],
  [JobState.ACTIVE]: ['active'],
  [JobState.DELAYED]: ['delayed'],
  [JobState.COMPLETED]: ['completed'],
  [JobState.FAILED]: ['failed'],
};

const JOB_STATES: readonly string[] = Object.values(JobState);

/** Bull's extra states (paused, stuck) are waiting as far as anyone outside is concerned. */
const toJobState = (state: string): JobState => (JOB_STATES.includes(state) ? (state as JobState) : JobState.WAITING);

const summaryOf = (job: Job, state: JobState): JobSummary => ({
  id: String(job.id),
  name: job.name,
  state,
  attemptsMade: job.attemptsMade,
  attempts: job.opts.attempts ?? 1,
  failedReason: job.failedReason || undefined,
  data: summarizeJobData(job.name, job.data),
  createdAt: job.timestamp,
  finishedAt: job.finishedOn || undefined,
});

// Bull's messages when the job changed between our look at it and the retry (another admin, a worker).
const RETRY_NOT_FOUND = "Couldn't retry job: The job doesn't exist";
const RETRY_NOT_FAILED = [
  "Couldn't retry job: The job is locked",
  "Couldn't retry job: The job has been already retried or has not failed",
];

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
    return summaryOf(job, toJobState(await job.getState()));
  }

  countJobs(queueName: QueueName, state: JobState): Promise<number> {
    return this.queue(queueName).getJobCountByTypes(BULL_STATES[state]);
  }

  async listJobs(queueName: QueueName, state: JobState, page: JobPage): Promise<JobList> {
    const queue = this.queue(queueName);
    const [total, jobs] = await Promise.all([
      queue.getJobCountByTypes(BULL_STATES[state]),
      page.limit > 0
        ? queue.getJobs(BULL_STATES[state], page.offset, page.offset + page.limit - 1, false)
        : Promise.resolve([]),
    ]);
    // A job removed between reading the ids and the jobs comes back as null.
    return { jobs: jobs.filter((job): job is Job => job !== null).map((job) => summaryOf(job, state)), total };
  }

  async retryJob(queueName: QueueName, id: string): Promise<RetryJobResult> {
    const job = await this.queue(queueName).getJob(id);
    if (!job) return 'not_found';
    // Checked first: Bull's retry clears the failure reason of a job it then refuses to retry.
    if ((await job.getState()) !== 'failed') return 'not_failed';
    try {
      await job.retry();
      return 'retried';
    } catch (error) {
      const message = error instanceof Error ? error.message : '';
      if (message === RETRY_NOT_FOUND) return 'not_found';
      if (RETRY_NOT_FAILED.includes(message)) return 'not_failed';
      throw error;
    }
  }

  async removeJob(queueName: QueueName, id: string): Promise<RemoveJobResult> {
    const queue = this.queue(queueName);
    const job = await queue.getJob(id);
    if (!job) return 'not_found';
    if ((await job.getState()) === 'active') return 'active';
    try {
      await job.remove();
      return 'removed';
    } catch (error) {
      // Bull refuses to remove a locked job: a worker took it in the meantime.
      if (!(error instanceof Error) || !error.message.startsWith('Could not remove job')) throw error;
      return (await queue.getJob(id)) ? 'active' : 'not_found';
    }
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
