import { QueueName } from '@atrium/contracts';
import type { MailJob } from '../modules/mail/mail.types';

/**
 * Every job Atrium runs: its name, its queue and its payload type. Producers (`JobsService`) and
 * processors (`JobRegistry.handle`) share this one definition, so a payload cannot drift between
 * them. Payloads travel through Redis as JSON: plain data only.
 */
export interface JobPayloads {
  /** Render a template and deliver it (SMTP, or the outbox without SMTP_URL). */
  'mail.send': MailJob;
  /**
   * A reset link was asked for this (normalised) address: look it up and, for an active account
   * outside the mail cooldown, issue the link and mail it. After the answer, so that the answer
   * takes as long for any address.
   */
  'account.password-reset': { email: string };
  /** Daily housekeeping: expired sessions and tokens, old failed jobs. */
  'maintenance.cleanup': Record<string, never>;
  /**
   * A post scheduled for `at` (ISO time) goes live: published if it is still scheduled for that
   * time (a rescheduled or unpublished post leaves the job with nothing to do).
   */
  'posts.publish-scheduled': { postId: string; at: string };
  /** Write the view counts buffered since the last run (and any batch a failed run left). */
  'views.flush': Record<string, never>;
  /** Build the zip of a data export (`POST /me/exports`). */
  'exports.build': { exportId: string };
  /**
   * Mail a post author the comments on their posts they have not been told of yet: one mail for
   * all of them (decision 116). Enqueued once per author per digest period, delayed to its end.
   */
  'comments.mail-digest': { postAuthorId: string };
}

export type JobName = keyof JobPayloads;

export const JOB_QUEUES: { readonly [N in JobName]: QueueName } = {
  'mail.send': QueueName.MAIL,
  'account.password-reset': QueueName.MAIL,
  'maintenance.cleanup': QueueName.MAINTENANCE,
  'posts.publish-scheduled': QueueName.MAINTENANCE,
  'views.flush': QueueName.CONTENT,
  'exports.build': QueueName.CONTENT,
  'comments.mail-digest': QueueName.MAIL,
};

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);

export interface EnqueueOptions {
  /** Run no earlier than this many milliseconds from now. */
  delay?: number;
  /** Idempotency key: while a job with this id exists, enqueueing it again does nothing. */
  jobId?: string;
  /** Overrides the default number of tries (JOB_ATTEMPTS). */
  attempts?: number;
}

/** A recurring job, registered once at start-up by every processing process (idempotent). */
export interface Schedule {
  name: JobName;
  /** Cron expression, evaluated in UTC. */
  cron: string;
}

export const SCHEDULES: readonly Schedule[] = [
  { name: 'maintenance.cleanup', cron: '17 3 * * *' },
  // Every 10 seconds (a six-field expression: seconds first).
  { name: 'views.flush', cron: '*/10 * * * * *' },
];

/** What a processor learns about the run it is in. */
export interface JobContext {
  id: string;
  queue: QueueName;
  name: JobName;
  /** 1 for the first try. */
  attempt: number;
  attempts: number;
}

export type JobHandler<N extends JobName> = (payload: JobPayloads[N], context: JobContext) => Promise<void>;
