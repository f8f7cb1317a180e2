import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { JobRunner, type QueueName } from '@atrium/contracts';
import { SecretBox } from '../common/crypto/secret-box';
import { withTimeout } from '../common/timeout';
import type { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.module';
import { SCHEDULES } from '../jobs/job-definitions';
import { JobRegistry } from '../jobs/job.registry';
import { type AddJobOptions, JOB_RUNNER, type JobQueueRunner } from '../jobs/runners/job-runner';
import { type ClaimedMessage, type NewOutboxMessage, OutboxRepository } from './outbox.repository';

/** How often each API process looks for messages whose delivery failed or whose deliverer died. */
const POLL_INTERVAL_MS = 5_000;
const BATCH = 50;
/** A claimed message is delivered again after this long if its deliverer never reported back. */
const LEASE_SECONDS = 60;
const MAX_BACKOFF_MS = 5 * 60_000;
/** How long a request waits for its own after-commit delivery before answering anyway. */
const DELIVERY_WAIT_MS = 1_500;
/** Handing a job to the queue gives up after this long (a frozen Redis). */
const DISPATCH_TIMEOUT_MS = 2_000;

/** Whether this process polls the outbox (EventsModule.forRoot). */
export const OUTBOX_POLLING = Symbol('OutboxPolling');

/** What a job row carries, sealed. */
export interface JobEnvelope {
  queue: QueueName;
  payload: unknown;
  options: AddJobOptions;
}

/**
 * Delivers outbox messages, at least once: right after the commit that wrote them (a request
 * waits for that at most DELIVERY_WAIT_MS), and again later (exponential backoff, up to five
 * minutes apart) until it succeeds. Events go to the in-process listeners (`@OnEvent`); jobs go to
 * the queue and stay in the outbox until a worker reports them done, so a job lost with Redis's
 * data is handed over again. Listeners and jobs are idempotent (mail jobs carry event-derived ids).
 */
@Injectable()
export class OutboxRelay implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Outbox');
  private readonly box: SecretBox;
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private schedulesCheckedAt = 0;
  /** JOB_RECOVERY_CHECK_SECONDS: when an unreported job is checked with the queue, and the schedules registered again. */
  private readonly recoveryCheckSeconds: number;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly emitter: EventEmitter2,
    private readonly registry: JobRegistry,
    @Inject(JOB_RUNNER) private readonly runner: JobQueueRunner,
    @InjectConfig() config: AppConfig,
    @Inject(OUTBOX_POLLING) private readonly polling: boolean,
  ) {
    this.box = new SecretBox(config.dataEncryptionKey, 'outbox');
    this.recoveryCheckSeconds = config.jobs.recoveryCheckSeconds;
  }

  onModuleInit(): void {
    // A worker (or this process, embedded) finished a job for good: its outbox row has served.
    this.registry.onFinished((name, context) => this.outbox.acknowledgeJob(name, context.id));
  }

  onApplicationBootstrap(): void {
    if (!this.polling) return;
    this.timer = setInterval(() => void this.drain(), POLL_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await Promise.allSettled([this.draining, ...this.inFlight]);
  }

  seal(value: unknown): string {
    return this.box.seal(JSON.stringify(value));
  }

  /** Writes messages to the outbox (the caller's transaction, if any), to be delivered by this process after it commits. */
  add(messages: NewOutboxMessage[]): Promise<ClaimedMessage[]> {
    return this.outbox.add(messages, LEASE_SECONDS);
  }

  /**
   * Delivers messages this process added (and so holds the lease of) now. Never throws, and
   * returns after DELIVERY_WAIT_MS at the latest: a slow or frozen dependency delays the message,
   * never the request; the delivery goes on in the background (and the poller retries it).
   */
  async deliver(messages: ClaimedMessage[]): Promise<void> {
    const work = (async () => {
      try {
        await this.dispatch(messages);
      } catch (error) {
        this.logger.warn(`Outbox delivery deferred: ${messageOf(error)}`);
      }
    })();
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([work, new Promise((resolve) => (timer = setTimeout(resolve, DELIVERY_WAIT_MS)))]);
    clearTimeout(timer);
  }

  /** Delivers every due message and checks unfinished jobs (the poller; tests call it to skip the wait). */
  drain(): Promise<void> {
    this.draining ??= (async () => {
      try {
        for (;;) {
          const claimed = await this.outbox.claim({ limit: BATCH, leaseSeconds: LEASE_SECONDS });
          await this.dispatch(claimed);
          if (claimed.length < BATCH) break;
        }
        await this.reconcileJobs();
        await this.ensureSchedules();
      } catch (error) {
        this.logger.warn(`Outbox poll failed: ${messageOf(error)}`);
      } finally {
        this.draining = undefined;
      }
    })();
    return this.draining;
  }

  private async dispatch(messages: ClaimedMessage[]): Promise<void> {
    const delivered: string[] = [];
    const dispatched: string[] = [];
    for (const message of messages) {
      try {
        const body: unknown = JSON.parse(this.box.open(message.payload));
        if (message.kind === 'job') {
          const job = body as JobEnvelope;
          await withTimeout(
            this.runner.add(job.queue, message.name, job.payload, {
              ...job.options,
              // Handed over again later (the queue lost it): only what is left of its delay.
              ...(job.options.dueAt !== undefined && { delay: Math.max(0, job.options.dueAt - Date.now()) }),
              jobId: message.jobId ?? message.id,
            }),
            DISPATCH_TIMEOUT_MS,
            'Job queue did not answer',
          );
          dispatched.push(message.id);
        } else {
          await this.emitter.emitAsync(message.name, body);
          delivered.push(message.id);
        }
      } catch (error) {
        const delayMs = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(message.attempts, 20));
        this.logger.warn(
          `${message.kind} ${message.name} (${message.id}) not delivered, retry in ${delayMs} ms: ${messageOf(error)}`,
        );
        await this.outbox.retryLater(message.id, delayMs, messageOf(error));
      }
    }
    await this.outbox.delete(delivered);
    await this.outbox.markDispatched(dispatched);
  }

  /**
   * Jobs handed to the queue long ago and not reported done: if the queue no longer knows one (its
   * Redis lost its data), it is handed over again; a job the queue still holds is left to run.
   */
  private async reconcileJobs(): Promise<void> {
    const unfinished = await this.outbox.claimUnfinishedJobs(this.recoveryCheckSeconds, BATCH, LEASE_SECONDS);
    for (const message of unfinished) {
      try {
        const job = JSON.parse(this.box.open(message.payload)) as JobEnvelope;
        const known = await withTimeout(
          this.runner.getJob(job.queue, message.jobId ?? message.id),
          DISPATCH_TIMEOUT_MS,
          'Job queue did not answer',
        );
        if (!known) {
          this.logger.warn(`Job ${message.name} (${message.jobId}) is gone from the queue; handing it over again`);
          await this.outbox.redispatch(message.id);
        }
      } catch (error) {
        this.logger.warn(`Job ${message.name} (${message.jobId}) not checked: ${messageOf(error)}`);
      }
    }
  }

  /** Recurring schedules live in Redis: registered again (idempotently) so a data loss cannot stop them. */
  private async ensureSchedules(): Promise<void> {
    if (
      this.runner.kind !== JobRunner.REDIS ||
      Date.now() - this.schedulesCheckedAt < this.recoveryCheckSeconds * 1000
    ) {
      return;
    }
    await withTimeout(this.runner.registerSchedules(SCHEDULES), DISPATCH_TIMEOUT_MS, 'Job queue did not answer');
    this.schedulesCheckedAt = Date.now();
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
