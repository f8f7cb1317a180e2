import { Inject, Injectable, Logger } from '@nestjs/common';
import { JobRegistry } from './job.registry';
import { JOB_RUNNER, type JobQueueRunner } from './runners/job-runner';

/** Failed jobs stay inspectable (and retryable) this long, then the daily cleanup deletes them. */
export const FAILED_JOB_RETENTION_MS = 14 * 24 * 60 * 60 * 1000;

export type CleanupTask = () => Promise<number>;

/**
 * `maintenance.cleanup`, run daily by the schedule: deletes what has outlived its use. Modules
 * add their own tasks (expired sessions, used email tokens) with `register`.
 */
@Injectable()
export class MaintenanceProcessor {
  private readonly logger = new Logger('Maintenance');
  private readonly tasks = new Map<string, CleanupTask>();

  constructor(registry: JobRegistry, @Inject(JOB_RUNNER) runner: JobQueueRunner) {
    this.register('old failed jobs', () => runner.cleanFailed(FAILED_JOB_RETENTION_MS));
    registry.handle('maintenance.cleanup', async () => {
      await this.cleanup();
    });
  }

  register(what: string, task: CleanupTask): void {
    this.tasks.set(what, task);
  }

  /** Runs every task even when one fails; the job fails (and retries) if any did. */
  async cleanup(): Promise<Record<string, number>> {
    const removed: Record<string, number> = {};
    const failures: string[] = [];
    for (const [what, task] of this.tasks) {
      try {
        removed[what] = await task();
      } catch (error) {
        failures.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    this.logger.log(
      `Cleanup removed ${
        Object.entries(removed)
          .map(([w, n]) => `${n} ${w}`)
          .join(', ') || 'nothing'
      }`,
    );
    if (failures.length > 0) throw new Error(`Cleanup failed for ${failures.join('; ')}`);
    return removed;
  }
}
