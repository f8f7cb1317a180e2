import { Logger } from '@nestjs/common';
import { parseExpression } from 'cron-parser';
import { JobRunner, JobState, type QueueName } from '@atrium/contracts';
import { PermanentJobError } from '../job-errors';
import { ALL_QUEUES, JOB_QUEUES, type JobName, type Schedule } from '../job-definitions';
import type { JobRegistry } from '../job.registry';
import {
  type AddJobOptions,
  backoffDelay,
  type JobList,
  type JobPage,
  type JobQueueRunner,
  type JobSummary,
  type QueueCounts,
  type RemoveJobResult,
  type RetryJobResult,
  summarizeJobData,
} from './job-runner';

interface InProcessJob {
  id: string;
  queue: QueueName;
  name: string;
  payload: unknown;
  options: AddJobOptions;
  state: JobState;
  attemptsMade: number;
  failedReason?: string;
  createdAt: number;
  finishedAt?: number;
  /** When a delayed job is due (epoch ms). */
  dueAt?: number;
  /** Order of entering the current state, for listing newest first as Bull does. */
  enteredState: number;
  timer?: NodeJS.Timeout;
}

/** Finished jobs remembered per state (for idempotent job ids and inspection), as Bull trims them. */
const KEEP_FINISHED = 1000;

/**
 * The longest wait one `setTimeout` takes (~24.8 days). Node runs a longer one after 1 ms, so a
 * post scheduled a month ahead went live at once: longer waits are taken in steps of this.
 */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * Embedded mode (no REDIS_URL): the API process runs its own jobs from memory, with Bull's
 * semantics — attempts, exponential backoff, delays, idempotent job ids, failed jobs kept with
 * their reason, recurring schedules, running jobs finished on close. Nothing survives a restart.
 */
export class InProcessJobRunner implements JobQueueRunner {
  readonly kind = JobRunner.IN_PROCESS;
  private readonly logger = new Logger('Jobs');
  private readonly jobs = new Map<string, InProcessJob>();
  private readonly waiting = new Map<QueueName, InProcessJob[]>(ALL_QUEUES.map((q) => [q, []]));
  private readonly running = new Map<QueueName, Set<Promise<void>>>(ALL_QUEUES.map((q) => [q, new Set()]));
  private readonly scheduleTimers = new Set<NodeJS.Timeout>();
  private sequence = 0;
  private transitions = 0;
  private processing = false;
  private closed = false;

  constructor(
    private readonly registry: JobRegistry,
    private readonly concurrency: number,
  ) {}

  add(queue: QueueName, name: string, payload: unknown, options: AddJobOptions): Promise<string> {
    if (this.closed) return Promise.reject(new Error('Job runner is shut down'));
    const id = options.jobId ?? String(++this.sequence);
    if (this.jobs.has(id)) return Promise.resolve(id);
    // A structured clone keeps the producer from mutating a queued payload, as JSON through Redis would.
    const job: InProcessJob = {
      id,
      queue,
      name,
      payload: structuredClone(payload),
      options,
      state: JobState.WAITING,
      attemptsMade: 0,
      createdAt: Date.now(),
      enteredState: 0,
    };
    this.jobs.set(id, job);
    if (options.delay > 0) this.delay(job, options.delay);
    else this.enqueue(job);
    return Promise.resolve(id);
  }

  private setState(job: InProcessJob, state: JobState): void {
    job.state = state;
    job.enteredState = ++this.transitions;
  }

  private delay(job: InProcessJob, ms: number): void {
    this.setState(job, JobState.DELAYED);
    job.dueAt = Date.now() + ms;
    this.armUntilDue(job, job.dueAt);
  }

  private armUntilDue(job: InProcessJob, dueAt: number): void {
    const remaining = dueAt - Date.now();
    const last = remaining <= LONGEST_TIMER_MS;
    job.timer = setTimeout(
      () => {
        job.timer = undefined;
        if (last) this.enqueue(job);
        else this.armUntilDue(job, dueAt);
      },
      last ? Math.max(remaining, 0) : LONGEST_TIMER_MS,
    );
  }

  private enqueue(job: InProcessJob): void {
    this.setState(job, JobState.WAITING);
    this.waitingOf(job.queue).push(job);
    this.pump(job.queue);
  }

  private waitingOf(queue: QueueName): InProcessJob[] {
    return this.waiting.get(queue) as InProcessJob[];
  }

  private runningOf(queue: QueueName): Set<Promise<void>> {
    return this.running.get(queue) as Set<Promise<void>>;
  }

  private pump(queue: QueueName): void {
    if (!this.processing || this.closed) return;
    const waiting = this.waitingOf(queue);
    const running = this.runningOf(queue);
    while (running.size < this.concurrency && waiting.length > 0) {
      const job = waiting.shift() as InProcessJob;
      const run = this.run(job).finally(() => {
        running.delete(run);
        this.pump(queue);
      });
      running.add(run);
    }
  }

  private async run(job: InProcessJob): Promise<void> {
    this.setState(job, JobState.ACTIVE);
    const context = {
      id: job.id,
      queue: job.queue,
      name: job.name as JobName,
      attempt: job.attemptsMade + 1,
      attempts: job.options.attempts,
    };
    try {
      await this.registry.execute(job.name, job.payload, context);
      job.attemptsMade += 1;
      this.finish(job, JobState.COMPLETED);
    } catch (error) {
      job.attemptsMade += 1;
      job.failedReason = error instanceof Error ? error.message : String(error);
      const final = error instanceof PermanentJobError || job.attemptsMade >= job.options.attempts;
      if (final || this.closed) this.finish(job, JobState.FAILED);
      else this.delay(job, backoffDelay(job.options.backoffMs, job.attemptsMade));
    }
  }

  private finish(job: InProcessJob, state: typeof JobState.COMPLETED | typeof JobState.FAILED): void {
    this.setState(job, state);
    job.finishedAt = Date.now();
    const finished = [...this.jobs.values()].filter((j) => j.state === state);
    for (const old of finished.slice(0, Math.max(finished.length - KEEP_FINISHED, 0))) this.jobs.delete(old.id);
  }

  startProcessing(): Promise<void> {
    this.processing = true;
    for (const queue of ALL_QUEUES) this.pump(queue);
    this.logger.log(
      `Processing queues ${ALL_QUEUES.join(', ')} in this process (no REDIS_URL): jobs do not survive a restart`,
    );
    return Promise.resolve();
  }

  registerSchedules(schedules: readonly Schedule[]): Promise<void> {
    for (const schedule of schedules) this.scheduleNext(schedule);
    return Promise.resolve();
  }

  private scheduleNext(schedule: Schedule): void {
    if (this.closed) return;
    const next = parseExpression(schedule.cron, { utc: true }).next().getTime();
    // A sparse schedule waits in steps, as delayed jobs do.
    const wait = Math.min(next - Date.now(), LONGEST_TIMER_MS);
    const timer = setTimeout(() => {
      this.scheduleTimers.delete(timer);
      if (Date.now() >= next) {
        void this.add(
          JOB_QUEUES[schedule.name],
          schedule.name,
          {},
          {
            delay: 0,
            jobId: `repeat:${schedule.name}:${next}`,
            attempts: 1,
            backoffMs: 0,
          },
        );
      }
      this.scheduleNext(schedule);
    }, wait);
    timer.unref();
    this.scheduleTimers.add(timer);
  }

  counts(): Promise<QueueCounts> {
    const counts = Object.fromEntries(
      ALL_QUEUES.map((queue) => [queue, { waiting: 0, active: 0, delayed: 0, failed: 0 }]),
    ) as QueueCounts;
    for (const job of this.jobs.values()) {
      if (job.state !== JobState.COMPLETED) counts[job.queue][job.state] += 1;
    }
    return Promise.resolve(counts);
  }

  getJob(queue: QueueName, id: string): Promise<JobSummary | undefined> {
    const job = this.find(queue, id);
    return Promise.resolve(job && summaryOf(job));
  }

  private find(queue: QueueName, id: string): InProcessJob | undefined {
    const job = this.jobs.get(id);
    return job?.queue === queue ? job : undefined;
  }

  private inState(queue: QueueName, state: JobState): InProcessJob[] {
    return [...this.jobs.values()].filter((job) => job.queue === queue && job.state === state);
  }

  countJobs(queue: QueueName, state: JobState): Promise<number> {
    return Promise.resolve(this.inState(queue, state).length);
  }

  listJobs(queue: QueueName, state: JobState, page: JobPage): Promise<JobList> {
    const jobs = this.inState(queue, state).sort((a, b) =>
      state === JobState.DELAYED
        ? (b.dueAt ?? 0) - (a.dueAt ?? 0) || b.enteredState - a.enteredState
        : b.enteredState - a.enteredState,
    );
    return Promise.resolve({
      jobs: jobs.slice(page.offset, page.offset + page.limit).map(summaryOf),
      total: jobs.length,
    });
  }

  retryJob(queue: QueueName, id: string): Promise<RetryJobResult> {
    if (this.closed) return Promise.reject(new Error('Job runner is shut down'));
    const job = this.find(queue, id);
    if (!job) return Promise.resolve('not_found');
    if (job.state !== JobState.FAILED) return Promise.resolve('not_failed');
    // As Bull's retry: the reason and finish time go, the attempts made stay.
    job.failedReason = undefined;
    job.finishedAt = undefined;
    this.enqueue(job);
    return Promise.resolve('retried');
  }

  removeJob(queue: QueueName, id: string): Promise<RemoveJobResult> {
    const job = this.find(queue, id);
    if (!job) return Promise.resolve('not_found');
    if (job.state === JobState.ACTIVE) return Promise.resolve('active');
    if (job.timer) clearTimeout(job.timer);
    const waiting = this.waitingOf(queue);
    const index = waiting.indexOf(job);
    if (index >= 0) waiting.splice(index, 1);
    this.jobs.delete(id);
    return Promise.resolve('removed');
  }

  ping(): Promise<void> {
    return this.closed ? Promise.reject(new Error('Job runner is shut down')) : Promise.resolve();
  }

  cleanFailed(olderThanMs: number): Promise<number> {
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    for (const job of [...this.jobs.values()]) {
      if (job.state === JobState.FAILED && (job.finishedAt ?? 0) < cutoff) {
        this.jobs.delete(job.id);
        removed += 1;
      }
    }
    return Promise.resolve(removed);
  }

  /** Running jobs finish; waiting and delayed ones are dropped (they would not survive anyway). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.scheduleTimers) clearTimeout(timer);
    for (const job of this.jobs.values()) if (job.timer) clearTimeout(job.timer);
    const running = ALL_QUEUES.flatMap((queue) => [...this.runningOf(queue)]);
    const dropped = [...this.jobs.values()].filter((j) => j.state === JobState.WAITING || j.state === JobState.DELAYED);
    if (dropped.length > 0) this.logger.warn(`Dropping ${dropped.length} queued job(s) at shutdown (no REDIS_URL)`);
    await Promise.allSettled(running);
  }

  /** For tests: a job's state and failure reason. */
  inspect(id: string): { state: JobState; attemptsMade: number; failedReason?: string } | undefined {
    const job = this.jobs.get(id);
    return job && { state: job.state, attemptsMade: job.attemptsMade, failedReason: job.failedReason };
  }
}

const summaryOf = (job: InProcessJob): JobSummary => ({
  id: job.id,
  name: job.name,
  state: job.state,
  attemptsMade: job.attemptsMade,
  attempts: job.options.attempts,
  failedReason: job.failedReason,
  data: summarizeJobData(job.name, job.payload),
  createdAt: job.createdAt,
  finishedAt: job.finishedAt,
});
