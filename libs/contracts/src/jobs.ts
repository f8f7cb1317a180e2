/** Background job queues (Bull on Redis; the in-process runner in embedded mode). */
export const QueueName = {
  /** Outgoing mail: rendering and SMTP delivery, with retries. */
  MAIL: 'mail',
  /** Scheduled housekeeping. */
  MAINTENANCE: 'maintenance',
  /** Content work: writing buffered view counts, building data exports. */
  CONTENT: 'content',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

/** Where a job is in its life, as the admin API and metrics report it. */
export const JobState = {
  WAITING: 'waiting',
  ACTIVE: 'active',
  DELAYED: 'delayed',
  COMPLETED: 'completed',
  FAILED: 'failed',
} as const;
export type JobState = (typeof JobState)[keyof typeof JobState];

/** How the jobs of this installation run: on Redis (API enqueues, worker processes) or in the API process. */
export const JobRunner = {
  REDIS: 'redis',
  IN_PROCESS: 'in-process',
} as const;
export type JobRunner = (typeof JobRunner)[keyof typeof JobRunner];
