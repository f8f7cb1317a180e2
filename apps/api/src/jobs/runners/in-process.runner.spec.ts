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

  // A post scheduled six weeks ahead: longer than one setTimeout can wait (~24.8 days).
  const SIX_WEEKS_MS = 42 * 24 * 3_600_000;

  it('keeps a job delayed by weeks waiting, not run at once', async () => {
    const id = await runner.add(QueueName.MAIL, 'mail.send', mail('w@example.com'), options({ delay: SIX_WEEKS_MS }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(runner.inspect(id)?.state).toBe(JobState.DELAYED);
    expect(calls).toHaveLength(0);
  });

  it('runs a job delayed by weeks when they have passed, and not a minute before', async () => {
    jest.useFakeTimers({ now: new Date('2026-12-01T03:00:00Z') });
    try {
      const id = await runner.add(QueueName.MAIL, 'mail.send', mail('w@example.com'), options({ delay: SIX_WEEKS_MS }));
      await jest.advanceTimersByTimeAsync(SIX_WEEKS_MS - 60_000);
      expect(runner.inspect(id)?.state).toBe(JobState.DELAYED);
      expect(calls).toHaveLength(0);
      await jest.advanceTimersByTimeAsync(60_000);
      expect(runner.inspect(id)?.state).toBe(JobState.COMPLETED);
      expect(calls).toEqual([expect.objectContaining({ at: Date.parse('2026-12-01T03:00:00Z') + SIX_WEEKS_MS })]);
    } finally {
      jest.useRealTimers();
    }
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

/** What the admin API reads and does through the runner: listing, retrying and removing jobs. */
describe('InProcessJobRunner administration', () => {
  let registry: JobRegistry;
  let behaviour: (to: string, attempt: number) => Promise<void>;
  let calls: string[];
  const runners: InProcessJobRunner[] = [];

  /** A runner that processes jobs, or (idle) one that only queues them, as the API does in services mode. */
  const start = async (process = true): Promise<InProcessJobRunner> => {
    const runner = new InProcessJobRunner(registry, 2);
    runners.push(runner);
    if (process) await runner.startProcessing();
    return runner;
  };

  const failedJob = async (runner: InProcessJobRunner, to: string, attempts = 2): Promise<string> => {
    const id = await runner.add(QueueName.MAIL, 'mail.send', mail(to), options({ attempts, backoffMs: 10 }));
    await waitFor(
      () => runner.inspect(id),
      (j) => j?.state === JobState.FAILED,
    );
    return id;
  };

  beforeEach(() => {
    registry = new JobRegistry(
      new MetricsService(loadConfig({ NODE_ENV: 'test' }, { version: '0.0.0', spaDir: '/tmp' })),
    );
    calls = [];
    behaviour = () => Promise.resolve();
    registry.handle('mail.send', async (message) => {
      calls.push(message.to);
      await behaviour(message.to, calls.length);
    });
  });

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.close()));
  });

  it('lists the jobs of one queue and state, newest first, a page at a time, with the total', async () => {
    const runner = await start(false);
    const ids: string[] = [];
    for (const n of [1, 2, 3, 4, 5]) {
      ids.push(await runner.add(QueueName.MAIL, 'mail.send', mail(`p${n}@example.com`), options()));
    }
    await runner.add(QueueName.MAINTENANCE, 'maintenance.cleanup', {}, options());

    const first = await runner.listJobs(QueueName.MAIL, JobState.WAITING, { offset: 0, limit: 2 });
    const second = await runner.listJobs(QueueName.MAIL, JobState.WAITING, { offset: 2, limit: 2 });
    const last = await runner.listJobs(QueueName.MAIL, JobState.WAITING, { offset: 4, limit: 2 });
    expect([first.total, second.total, last.total]).toEqual([5, 5, 5]);
    expect([...first.jobs, ...second.jobs, ...last.jobs].map((j) => j.id)).toEqual([...ids].reverse());
    expect(await runner.listJobs(QueueName.MAIL, JobState.FAILED, { offset: 0, limit: 20 })).toEqual({
      jobs: [],
      total: 0,
    });
    expect(await runner.countJobs(QueueName.MAIL, JobState.WAITING)).toBe(5);
    expect(await runner.countJobs(QueueName.MAINTENANCE, JobState.WAITING)).toBe(1);
  });

  it('lists delayed jobs by due time, the last due first', async () => {
    const runner = await start(false);
    const soon = await runner.add(QueueName.MAIL, 'mail.send', mail('soon@example.com'), options({ delay: 60_000 }));
    const later = await runner.add(QueueName.MAIL, 'mail.send', mail('later@example.com'), options({ delay: 90_000 }));
    const sooner = await runner.add(QueueName.MAIL, 'mail.send', mail('now@example.com'), options({ delay: 30_000 }));
    const { jobs } = await runner.listJobs(QueueName.MAIL, JobState.DELAYED, { offset: 0, limit: 10 });
    expect(jobs.map((j) => j.id)).toEqual([later, soon, sooner]);
  });

  it('shows a mail job by template and recipient, never its variables (one-use links)', async () => {
    const runner = await start(false);
    const before = Date.now();
    const id = await runner.add(QueueName.MAIL, 'mail.send', mail('secret@example.com'), options({ attempts: 3 }));
    const { jobs } = await runner.listJobs(QueueName.MAIL, JobState.WAITING, { offset: 0, limit: 10 });
    expect(jobs).toEqual([
      {
        id,
        name: 'mail.send',
        state: JobState.WAITING,
        attemptsMade: 0,
        attempts: 3,
        failedReason: undefined,
        data: { template: 'reset-password', to: 'secret@example.com' },
        createdAt: expect.any(Number),
        finishedAt: undefined,
      },
    ]);
    expect(jobs[0].createdAt).toBeGreaterThanOrEqual(before);
    expect(JSON.stringify(jobs)).not.toMatch(/token|resetUrl|variables|ada/);
    expect(await runner.getJob(QueueName.MAIL, id)).toEqual(jobs[0]);
  });

  it('shows nothing of the payload of a job it has no summary for', async () => {
    const runner = await start(false);
    const secret = { password: 'hunter2', token: 't' };
    for (const name of ['report.export', 'constructor', 'toString', '__proto__']) {
      await runner.add(QueueName.MAINTENANCE, name, secret, options());
    }
    const { jobs } = await runner.listJobs(QueueName.MAINTENANCE, JobState.WAITING, { offset: 0, limit: 10 });
    expect(jobs.map((j) => [j.name, j.data])).toEqual([
      ['__proto__', {}],
      ['toString', {}],
      ['constructor', {}],
      ['report.export', {}],
    ]);
  });

  it('retries a failed job: back to waiting without its reason, attempts counting on, then it runs', async () => {
    const runner = await start();
    behaviour = () => Promise.reject(new Error('451 busy'));
    const id = await failedJob(runner, 'retry@example.com', 2);
    expect(await runner.getJob(QueueName.MAIL, id)).toMatchObject({
      state: JobState.FAILED,
      attemptsMade: 2,
      failedReason: '451 busy',
      finishedAt: expect.any(Number),
    });

    behaviour = () => Promise.resolve();
    expect(await runner.retryJob(QueueName.MAIL, id)).toBe('retried');
    const done = await waitFor(
      () => runner.getJob(QueueName.MAIL, id),
      (j) => j?.state === JobState.COMPLETED,
    );
    expect(done).toMatchObject({ state: JobState.COMPLETED, attemptsMade: 3, failedReason: undefined });
    expect(calls).toEqual(['retry@example.com', 'retry@example.com', 'retry@example.com']);
  });

  it('gives a job that used all its tries exactly one more on retry', async () => {
    const runner = await start();
    behaviour = () => Promise.reject(new Error('451 busy'));
    const id = await failedJob(runner, 'again@example.com', 2);
    expect(await runner.retryJob(QueueName.MAIL, id)).toBe('retried');
    const failed = await waitFor(
      () => runner.getJob(QueueName.MAIL, id),
      (j) => j?.state === JobState.FAILED,
    );
    expect(failed).toMatchObject({ attemptsMade: 3, failedReason: '451 busy' });
    expect(calls).toHaveLength(3);
  });

  it('retries only failed jobs, of the queue asked about', async () => {
    const runner = await start();
    behaviour = () => Promise.reject(new Error('451 busy'));
    const failed = await failedJob(runner, 'only@example.com', 1);
    const delayed = await runner.add(QueueName.MAIL, 'mail.send', mail('d@example.com'), options({ delay: 60_000 }));
    behaviour = () => Promise.resolve();
    const completed = await runner.add(QueueName.MAIL, 'mail.send', mail('c@example.com'), options());
    await waitFor(
      () => runner.inspect(completed),
      (j) => j?.state === JobState.COMPLETED,
    );

    expect(await runner.retryJob(QueueName.MAIL, delayed)).toBe('not_failed');
    expect(await runner.retryJob(QueueName.MAIL, completed)).toBe('not_failed');
    expect(await runner.retryJob(QueueName.MAIL, 'no-such-id')).toBe('not_found');
    expect(await runner.retryJob(QueueName.MAINTENANCE, failed)).toBe('not_found');
    expect(runner.inspect(failed)).toMatchObject({ state: JobState.FAILED, failedReason: '451 busy' });
    expect(runner.inspect(delayed)?.state).toBe(JobState.DELAYED);
  });

  it('removes waiting, delayed and failed jobs, which then never run, and refuses a running one', async () => {
    const idle = await start(false);
    const waiting = await idle.add(QueueName.MAIL, 'mail.send', mail('w@example.com'), options());
    const kept = await idle.add(QueueName.MAIL, 'mail.send', mail('k@example.com'), options());
    const delayed = await idle.add(QueueName.MAIL, 'mail.send', mail('d@example.com'), options({ delay: 50 }));
    expect(await idle.removeJob(QueueName.MAIL, waiting)).toBe('removed');
    expect(await idle.removeJob(QueueName.MAIL, delayed)).toBe('removed');
    expect(await idle.removeJob(QueueName.MAIL, delayed)).toBe('not_found');
    expect(await idle.removeJob(QueueName.MAINTENANCE, kept)).toBe('not_found');
    expect(await idle.getJob(QueueName.MAIL, waiting)).toBeUndefined();
    expect(await idle.counts()).toMatchObject({ mail: { waiting: 1, delayed: 0 } });

    await idle.startProcessing();
    await waitFor(
      () => idle.inspect(kept),
      (j) => j?.state === JobState.COMPLETED,
    );
    // The delay has passed too: a removed delayed job does not come back.
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(calls).toEqual(['k@example.com']);

    const runner = await start();
    let release: () => void = () => undefined;
    behaviour = (to) =>
      to === 'slow@example.com'
        ? new Promise<void>((resolve) => (release = resolve))
        : Promise.reject(new Error('550'));
    const failed = await failedJob(runner, 'f@example.com', 1);
    const active = await runner.add(QueueName.MAIL, 'mail.send', mail('slow@example.com'), options());
    await waitFor(
      () => runner.inspect(active),
      (j) => j?.state === JobState.ACTIVE,
    );
    expect(await runner.removeJob(QueueName.MAIL, active)).toBe('active');
    expect(await runner.removeJob(QueueName.MAIL, failed)).toBe('removed');
    expect(await runner.countJobs(QueueName.MAIL, JobState.FAILED)).toBe(0);
    release();
    await waitFor(
      () => runner.inspect(active),
      (j) => j?.state === JobState.COMPLETED,
    );
  });
});
