import { JobState, QueueName } from '@atrium/contracts';
import { loadConfig } from '../../config/app-config';
import { MetricsService } from '../../modules/metrics/metrics.service';
import { waitFor } from '../../../test/support/wait-for';
import { PermanentJobError } from '../job-errors';
import { JobRegistry } from '../job.registry';
import type { MailJob } from '../../modules/mail/mail.types';
import { InProcessJobRunner } from './in-process.runner';

const mail = (to: string): MailJob => ({
  to,
  template: 'reset-password',
  variables: { username: 'ada', resetUrl: 'http://localhost:3000/reset-password?token=t', expiresInMinutes: 60 },
});
const options = (overrides: Partial<{ delay: number; jobId: string; attempts: number; backoffMs: number }> = {}) => ({
  delay: 0,
  jobId: undefined,
  attempts: 5,
  backoffMs: 20,
  ...overrides,
});

/** Timers run on a monotonic clock, `Date.now()` on the wall clock: they may disagree by a millisecond or two. */
const CLOCK_SLACK_MS = 5;

/** Embedded mode's runner: the same semantics as Bull, without Redis. */
describe('InProcessJobRunner', () => {
  let metrics: MetricsService;
  let registry: JobRegistry;
  let runner: InProcessJobRunner;
  let calls: Array<{ to: string; attempt: number; at: number }>;
  let behaviour: (to: string, attempt: number) => Promise<void>;

  beforeEach(async () => {
    metrics = new MetricsService(loadConfig({ NODE_ENV: 'test' }, { version: '0.0.0', spaDir: '/tmp' }));
    registry = new JobRegistry(metrics);
    calls = [];
    behaviour = () => Promise.resolve();
    registry.handle('mail.send', async (message, context) => {
      calls.push({ to: message.to, attempt: context.attempt, at: Date.now() });
      await behaviour(message.to, context.attempt);
    });
    runner = new InProcessJobRunner(registry, 2);
    await runner.startProcessing();
  });

  afterEach(() => runner.close());

  it('retries a failing job with exponential backoff until it succeeds', async () => {
    behaviour = (_to, attempt) => (attempt < 3 ? Promise.reject(new Error('451 try later')) : Promise.resolve());
    const id = await runner.add(QueueName.MAIL, 'mail.send', mail('a@example.com'), options({ backoffMs: 50 }));
    const done = await waitFor(
      () => runner.inspect(id),
      (j) => j?.state === JobState.COMPLETED,
    );
    expect(done).toMatchObject({ state: JobState.COMPLETED, attemptsMade: 3 });
    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
    // Bull's formula: the n-th retry waits backoff × (2^n − 1): 50 ms, then 150 ms.
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(50 - CLOCK_SLACK_MS);
    expect(calls[2].at - calls[1].at).toBeGreaterThanOrEqual(150 - CLOCK_SLACK_MS);
    const exposition = await metrics.exposition();
    expect(exposition).toContain('jobs_total{queue="mail",name="mail.send",outcome="retrying"} 2');
    expect(exposition).toContain('jobs_total{queue="mail",name="mail.send",outcome="completed"} 1');
  });

  it('keeps a job that used all its attempts in failed, with the last reason', async () => {
    behaviour = () => Promise.reject(new Error('451 still busy'));
    const id = await runner.add(QueueName.MAIL, 'mail.send', mail('b@example.com'), options({ attempts: 3 }));
    const failed = await waitFor(
      () => runner.inspect(id),
      (j) => j?.state === JobState.FAILED,
    );
    expect(failed).toEqual({ state: JobState.FAILED, attemptsMade: 3, failedReason: '451 still busy' });
    expect((await runner.counts()).mail.failed).toBe(1);
  });

  it('does not retry a permanent failure', async () => {
    behaviour = () => Promise.reject(new PermanentJobError('550 no such user'));
    const id = await runner.add(QueueName.MAIL, 'mail.send', mail('c@example.com'), options());
    const failed = await waitFor(
      () => runner.inspect(id),
      (j) => j?.state === JobState.FAILED,
    );
    expect(failed).toEqual({ state: JobState.FAILED, attemptsMade: 1, failedReason: '550 no such user' });
    expect(calls).toHaveLength(1);
  });

  it('runs a delayed job only after its delay', async () => {
    const added = Date.now();
    const id = await runner.add(QueueName.MAIL, 'mail.send', mail('d@example.com'), options({ delay: 200 }));
    expect(runner.inspect(id)?.state).toBe(JobState.DELAYED);
    expect((await runner.counts()).mail.delayed).toBe(1);
    await waitFor(
      () => runner.inspect(id),
      (j) => j?.state === JobState.COMPLETED,
    );
    expect(calls).toHaveLength(1);
    expect(calls[0].at - added).toBeGreaterThanOrEqual(200 - CLOCK_SLACK_MS);
  });

  it('adds a job with a known job id only once', async () => {
    const first = await runner.add(QueueName.MAIL, 'mail.send', mail('e@example.com'), options({ jobId: 'once' }));
    const second = await runner.add(QueueName.MAIL, 'mail.send', mail('e@example.com'), options({ jobId: 'once' }));
    expect(second).toBe(first);
    await waitFor(
      () => runner.inspect(first),
      (j) => j?.state === JobState.COMPLETED,
    );
    await runner.add(QueueName.MAIL, 'mail.send', mail('e@example.com'), options({ jobId: 'once' }));
    expect(calls).toHaveLength(1);
  });

  it('runs at most `concurrency` jobs of a queue at once', async () => {
    let running = 0;
    let most = 0;
    behaviour = async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 30));
      running -= 1;
    };
    const ids = await Promise.all(
      ['f1', 'f2', 'f3', 'f4', 'f5'].map((n) =>
        runner.add(QueueName.MAIL, 'mail.send', mail(`${n}@example.com`), options()),
      ),
    );
    await waitFor(
      () => ids.map((id) => runner.inspect(id)?.state),
      (states) => states.every((s) => s === JobState.COMPLETED),
    );
    expect(calls).toHaveLength(5);
    expect(most).toBe(2);
  });

  it('lets the running job finish on close', async () => {
    let finished = false;
    behaviour = async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      finished = true;
    };
    const id = await runner.add(QueueName.MAIL, 'mail.send', mail('g@example.com'), options());
    await waitFor(
      () => calls.length,
      (n) => n > 0,
    );
    await runner.close();
    expect(finished).toBe(true);
    expect(runner.inspect(id)?.state).toBe(JobState.COMPLETED);
    await expect(runner.add(QueueName.MAIL, 'mail.send', mail('h@example.com'), options())).rejects.toThrow(
      /shut down/,
    );
  });

  it('runs a scheduled job when its cron time comes', async () => {
    let cleanups = 0;
    registry.handle('maintenance.cleanup', () => {
      cleanups += 1;
      return Promise.resolve();
    });
    await runner.registerSchedules([{ name: 'maintenance.cleanup', cron: '* * * * * *' }]);
    await waitFor(
      () => cleanups,
      (n) => n > 0,
      3_000,
    );
    expect(cleanups).toBeGreaterThan(0);
  });

  it('fails a job nobody processes, for good', async () => {
    const id = await runner.add(QueueName.MAINTENANCE, 'no.such.job', {}, options());
    const failed = await waitFor(
      () => runner.inspect(id),
      (j) => j?.state === JobState.FAILED,
    );
    expect(failed).toMatchObject({ attemptsMade: 1, failedReason: 'No processor for job "no.such.job"' });
  });
});
