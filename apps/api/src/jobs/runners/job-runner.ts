import type { JobRunner, JobState, QueueName } from '@atrium/contracts';
import type { Schedule } from '../job-definitions';

export const JOB_RUNNER = Symbol('JOB_RUNNER');

export interface AddJobOptions {
  delay: number;
  jobId: string | undefined;
  attempts: number;
  backoffMs: number;
}

export interface JobSummary {
  id: string;
  name: string;
  state: JobState;
  /** Attempts that failed so far. */
  attemptsMade: number;
  failedReason?: string;
}

export type QueueCounts = Record<QueueName, Record<Exclude<JobState, 'completed'>, number>>;

/**
 * Where jobs wait and who runs them: Bull on Redis (services mode) or memory (embedded mode).
 * Both give the same semantics: attempts with exponential backoff, delays, idempotent job ids,
 * failed jobs kept with their reason, running jobs finished on close.
 */
export interface JobQueueRunner {
  readonly kind: JobRunner;
  add(queue: QueueName, name: string, payload: unknown, options: AddJobOptions): Promise<string>;
  /** Starts running jobs in this process (the worker; the API itself in embedded mode). */
  startProcessing(): Promise<void>;
  /** Registers recurring jobs; registering the same schedule again (another replica) changes nothing. */
  registerSchedules(schedules: readonly Schedule[]): Promise<void>;
  counts(): Promise<QueueCounts>;
  /** One job's state, attempts and failure reason; undefined when no such job exists (any more). */
  getJob(queue: QueueName, id: string): Promise<JobSummary | undefined>;
  /** Throws when the queues cannot be reached. */
  ping(): Promise<void>;
  /** Deletes failed jobs that finished more than `olderThanMs` ago; returns how many. */
  cleanFailed(olderThanMs: number): Promise<number>;
  /** Stops taking jobs, lets running ones finish, releases connections. */
  close(): Promise<void>;
}

/** Bull's exponential backoff, which the in-process runner reproduces: delay × (2^(tries so far) − 1). */
export function backoffDelay(backoffMs: number, attemptsMade: number): number {
  return Math.round((2 ** attemptsMade - 1) * backoffMs);
}
