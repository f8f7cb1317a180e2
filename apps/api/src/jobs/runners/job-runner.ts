import type { JobRunner, JobState, QueueName } from '@atrium/contracts';
import type { JobName, JobPayloads, Schedule } from '../job-definitions';

export const JOB_RUNNER = Symbol('JOB_RUNNER');

export interface AddJobOptions {
  delay: number;
  /**
   * When a delayed job is due (epoch ms). The outbox hands a job to the queue again if the queue
   * lost it (Redis's data, an embedded restart): it then waits only what is left, not `delay` anew.
   */
  dueAt?: number;
  jobId: string | undefined;
  attempts: number;
  backoffMs: number;
}

/** What an operator may see of a job's payload: plain strings, never a secret. */
export type JobDataSummary = Record<string, string>;

export interface JobSummary {
  id: string;
  name: string;
  state: JobState;
  /** Attempts that failed so far. */
  attemptsMade: number;
  /** How many tries the job has in all. */
  attempts: number;
  /** Why the last attempt failed (kept while a retry waits; cleared by a manual retry). */
  failedReason?: string;
  /** The payload without secrets, from {@link summarizeJobData}. */
  data: JobDataSummary;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Epoch milliseconds; set once the job completed or failed for good. */
  finishedAt?: number;
}

export interface JobPage {
  offset: number;
  limit: number;
}

export interface JobList {
  jobs: JobSummary[];
  /** Jobs in this state in all, not only on this page. */
  total: number;
}

export type RetryJobResult = 'retried' | 'not_found' | 'not_failed';
export type RemoveJobResult = 'removed' | 'not_found' | 'active';

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
  /** How many jobs of a queue are in a state (completed ones only while they are kept). */
  countJobs(queue: QueueName, state: JobState): Promise<number>;
  /**
   * A page of a queue's jobs in one state, newest first: the job that entered the state last
   * comes first, except delayed jobs, which come by due time, the last due first (Bull's order).
   */
  listJobs(queue: QueueName, state: JobState, page: JobPage): Promise<JobList>;
  /**
   * Puts a failed job back in waiting with its failure reason cleared. Its attempts count on, so
   * it runs at least once more and retries only while tries are left. Only failed jobs retry.
   */
  retryJob(queue: QueueName, id: string): Promise<RetryJobResult>;
  /** Deletes a job in any state but active (a running job cannot be taken away from its worker). */
  removeJob(queue: QueueName, id: string): Promise<RemoveJobResult>;
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

/**
 * The part of each job's payload an operator may see. Mail payloads carry one-use links (email
 * verification, password reset) in their variables, so only the template and recipient show.
 * Every job name must be listed: a new job cannot leak its payload into the admin API by default.
 */
const DATA_SUMMARIES: { readonly [N in JobName]: (payload: Partial<JobPayloads[N]>) => JobDataSummary } = {
  'mail.send': (mail) => pickStrings({ template: mail.template, to: mail.to }),
  // The address someone typed: an operator sees that a reset was asked, not for whom.
  'account.password-reset': () => ({}),
  'maintenance.cleanup': () => ({}),
  'posts.publish-scheduled': (job) => pickStrings({ postId: job.postId, at: job.at }),
  'views.flush': () => ({}),
  'exports.build': (job) => pickStrings({ exportId: job.exportId }),
  'comments.mail-digest': (job) => pickStrings({ postAuthorId: job.postAuthorId }),
};

const pickStrings = (values: Record<string, unknown>): JobDataSummary =>
  Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));

/** The secret-free summary of a payload, as both runners report it; nothing for an unknown job name. */
export function summarizeJobData(name: string, payload: unknown): JobDataSummary {
  // Own keys only: a job named `constructor` must not reach Object.prototype's.
  if (!Object.hasOwn(DATA_SUMMARIES, name) || typeof payload !== 'object' || payload === null) return {};
  return (DATA_SUMMARIES as Record<string, (payload: object) => JobDataSummary>)[name](payload);
}
