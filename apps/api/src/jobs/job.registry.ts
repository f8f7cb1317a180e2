import { Injectable, Logger } from '@nestjs/common';
import { MetricsService } from '../modules/metrics/metrics.service';
import { PermanentJobError } from './job-errors';
import type { JobContext, JobHandler, JobName, JobPayloads } from './job-definitions';

export type JobOutcome = 'completed' | 'retrying' | 'failed';

/**
 * Processors register one handler per job name here; both runners (Bull and in-process) call
 * `execute`, so a processor has one code path, and every run is logged and measured the same way.
 */
@Injectable()
export class JobRegistry {
  private readonly logger = new Logger('Jobs');
  private readonly handlers = new Map<JobName, JobHandler<JobName>>();
  private readonly finishedListeners: Array<(name: string, context: JobContext) => Promise<void>> = [];

  constructor(private readonly metrics: MetricsService) {}

  handle<N extends JobName>(name: N, handler: JobHandler<N>): void {
    if (this.handlers.has(name)) throw new Error(`Job "${name}" already has a processor`);
    this.handlers.set(name, handler as unknown as JobHandler<JobName>);
  }

  /**
   * Called after a job is done for good (completed, or failed with no tries left): the outbox
   * forgets it. A listener's failure is logged, never the job's.
   */
  onFinished(listener: (name: string, context: JobContext) => Promise<void>): void {
    this.finishedListeners.push(listener);
  }

  private async finished(name: string, context: JobContext): Promise<void> {
    for (const listener of this.finishedListeners) {
      await listener(name, context).catch((error: unknown) =>
        this.logger.warn(`${context.queue}/${name} #${context.id}: finishing step failed: ${String(error)}`),
      );
    }
  }

  /** Runs one attempt. Throws what the handler threw, so the runner can retry or fail the job. */
  async execute(name: string, payload: unknown, context: JobContext): Promise<void> {
    const handler = this.handlers.get(name as JobName);
    if (!handler) throw new PermanentJobError(`No processor for job "${name}"`);
    const start = process.hrtime.bigint();
    let outcome: JobOutcome = 'completed';
    try {
      await handler(payload as JobPayloads[JobName], context);
      this.logger.log(`${context.queue}/${name} #${context.id} completed (attempt ${context.attempt})`);
      await this.finished(name, context);
    } catch (error) {
      const final = error instanceof PermanentJobError || context.attempt >= context.attempts;
      outcome = final ? 'failed' : 'retrying';
      const reason = error instanceof Error ? error.message : String(error);
      const message = `${context.queue}/${name} #${context.id} attempt ${context.attempt}/${context.attempts} failed: ${reason}`;
      if (final) {
        this.logger.error(`${message}; giving up`);
        await this.finished(name, context);
      } else this.logger.warn(`${message}; will retry`);
      throw error;
    } finally {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      this.metrics.observeJob(context.queue, name, outcome, seconds);
    }
  }
}
