import { EventEmitter2 } from '@nestjs/event-emitter';
import Bull from 'bull';
import { QueueName } from '@atrium/contracts';
import type { AtriumApp } from '../src/bootstrap';
import { UserRegisteredEvent } from '../src/modules/identity/identity.events';
import { JobsService } from '../src/jobs/jobs.service';
import type { MailJob } from '../src/modules/mail/mail.types';
import { SmtpSink } from './support/smtp-sink';
import { startTestApp, TestResources } from './support/test-app';
import { TEST_REDIS_URL } from './support/test-env';
import { waitFor } from './support/wait-for';
import { WorkerProcess } from './support/worker-process';

const APP_URL = 'https://app.atrium.test';

const resetMail = (to: string): MailJob => ({
  to,
  template: 'reset-password',
  variables: { username: 'ada', resetUrl: `${APP_URL}/reset-password?token=t-${to}`, expiresInMinutes: 60 },
});

/** The link targets of an HTML part, with the entity escaping of attribute values undone. */
const hrefs = (html: string | false | undefined): string[] =>
  [...(html || '').matchAll(/href="([^"]+)"/g)].map(([, href]) =>
    href
      .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
      .replace(/&amp;/g, '&'),
  );

/**
 * Services mode end to end: the API process only enqueues (Bull on the real Redis); separately
 * started worker processes run the jobs and deliver mail to a real SMTP server.
 */
describe('jobs on Redis: API enqueues, worker processes', () => {
  const resources = new TestResources();
  const sink = new SmtpSink();
  const workers: WorkerProcess[] = [];
  let api: AtriumApp;
  let jobs: JobsService;
  let mailQueue: Bull.Queue;
  let maintenanceQueue: Bull.Queue;

  const env = (): Record<string, string> => ({
    NODE_ENV: 'test',
    DATABASE_URL: resources.databaseUrl,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: resources.redisPrefix,
    SMTP_URL: sink.url,
    APP_URL,
    JOB_BACKOFF_MS: '200',
    JOB_STALLED_INTERVAL_MS: '1000',
    JOB_LOCK_DURATION_MS: '1500',
    SHUTDOWN_TIMEOUT_MS: '20000',
  });

  const startWorker = async (): Promise<WorkerProcess> => {
    const worker = new WorkerProcess(env());
    workers.push(worker);
    return worker.start();
  };

  // The state first, then the fields: a job read before its last attempt ended can show the
  // final state beside the previous attempt's fields (two reads). Bull writes a finished job's
  // fields and moves it to completed/failed in one script, so fields read after a terminal
  // state are final.
  const job = async (queue: Bull.Queue, id: string) => {
    const state = await (await queue.getJob(id))?.getState();
    const found = await queue.getJob(id);
    return found && state && { state, attemptsMade: found.attemptsMade, failedReason: found.failedReason };
  };

  beforeAll(async () => {
    await resources.create();
    await sink.start();
    api = await startTestApp(resources, env());
    jobs = api.app.get(JobsService);
    const bullOptions = { prefix: `${resources.redisPrefix}bull` };
    mailQueue = new Bull(QueueName.MAIL, TEST_REDIS_URL, bullOptions);
    maintenanceQueue = new Bull(QueueName.MAINTENANCE, TEST_REDIS_URL, bullOptions);
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await Promise.all([mailQueue?.close(), maintenanceQueue?.close()]);
    await api?.close();
    await sink.stop();
    await resources.drop();
  });

  it('the API only enqueues; a separately started worker delivers the mail over SMTP', async () => {
    const event = new UserRegisteredEvent(
      { userId: '0190f0d2-0000-7000-8000-000000000001', email: 'ada@example.com', username: 'ada' },
      'verify-token-1',
      48,
    );
    await api.app.get(EventEmitter2).emitAsync(event.name, event);
    // The same event again (a retried request): one mail per token.
    await api.app.get(EventEmitter2).emitAsync(event.name, event);

    expect(await mailQueue.getJobCounts()).toMatchObject({ waiting: 1, active: 0 });
    expect(sink.to('ada@example.com')).toHaveLength(0);

    const worker = await startWorker();
    const [mail] = (
      await waitFor(
        () => sink.to('ada@example.com'),
        (m) => m.length > 0,
      )
    ).map((m) => m.parsed);
    expect(mail.subject).toMatch(/confirm your email/i);
    expect(mail.from?.text).toContain('no-reply@atrium.local');
    const link = `${APP_URL}/verify-email?token=verify-token-1`;
    expect(mail.text).toContain(link);
    expect(hrefs(mail.html)).toContain(link);

    // The worker counts what it ran, for Prometheus.
    const metrics = await waitFor(
      () => worker.metrics(),
      (m) => m.includes('jobs_total{queue="mail",name="mail.send",outcome="completed"} 1'),
    );
    expect(metrics).toContain('jobs_total{queue="mail",name="mail.send",outcome="completed"} 1');
    expect(metrics).toMatch(/job_duration_seconds_count\{queue="mail",name="mail\.send",outcome="completed"\} 1/);
    expect(sink.to('ada@example.com')).toHaveLength(1);
  });

  it('retries a temporary failure with backoff, then succeeds', async () => {
    sink.plan('retry@example.com', 'temporary', 'temporary', 'accept');
    const id = await jobs.enqueue('mail.send', resetMail('retry@example.com'));
    const done = await waitFor(
      () => job(mailQueue, id),
      (j) => j?.state === 'completed',
    );
    // Bull counts the failed attempts; the sink saw all three.
    expect(done).toMatchObject({ state: 'completed', attemptsMade: 2 });
    expect(sink.attempts.get('retry@example.com')).toBe(3);
    expect(sink.to('retry@example.com')).toHaveLength(1);
  });

  it('puts a permanent failure in failed, with its reason, without retrying', async () => {
    sink.plan('gone@example.com', 'permanent');
    const id = await jobs.enqueue('mail.send', resetMail('gone@example.com'));
    const failed = await waitFor(
      () => job(mailQueue, id),
      (j) => j?.state === 'failed',
    );
    expect(failed?.state).toBe('failed');
    expect(failed?.failedReason).toMatch(/550/);
    expect(sink.attempts.get('gone@example.com')).toBe(1);
  });

  it('uses every attempt on a failure that stays temporary, then keeps the job in failed', async () => {
    sink.plan('busy@example.com', 'temporary');
    const id = await jobs.enqueue('mail.send', resetMail('busy@example.com'), { attempts: 3 });
    const failed = await waitFor(
      () => job(mailQueue, id),
      (j) => j?.state === 'failed',
    );
    expect(failed).toMatchObject({ state: 'failed', attemptsMade: 3 });
    expect(failed?.failedReason).toMatch(/451/);
  });

  it('runs a delayed job only after its delay', async () => {
    // The delay counts from when the job was asked for (it reaches the queue a moment later).
    const askedAt = Date.now();
    const id = await jobs.enqueue('mail.send', resetMail('later@example.com'), { delay: 1500 });
    expect((await job(mailQueue, id))?.state).toBe('delayed');
    const done = await waitFor(
      () => job(mailQueue, id),
      (j) => j?.state === 'completed',
    );
    expect(done?.state).toBe('completed');
    const finished = await mailQueue.getJob(id);
    expect((finished?.processedOn ?? 0) - askedAt).toBeGreaterThanOrEqual(1500);
    expect(sink.to('later@example.com')).toHaveLength(1);
  });

  it('registers the daily cleanup once, however many workers start', async () => {
    await startWorker();
    await startWorker();
    const repeatable = await maintenanceQueue.getRepeatableJobs();
    expect(repeatable).toHaveLength(1);
    expect(repeatable[0]).toMatchObject({ name: 'maintenance.cleanup', cron: '17 3 * * *', tz: 'UTC' });
  });

  it('SIGTERM lets the running job finish before the worker exits', async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop('SIGTERM')));
    const worker = await startWorker();
    sink.plan('drain@example.com', 'hold');
    const id = await jobs.enqueue('mail.send', resetMail('drain@example.com'));
    await waitFor(
      () => sink.attempts.get('drain@example.com') ?? 0,
      (n) => n > 0,
    );
    const exit = worker.stop('SIGTERM');
    // Still delivering: the worker waits for it instead of dropping it.
    await worker.waitForLog(/SIGTERM received/);
    sink.release();
    expect(await exit).toEqual({ code: 0, signal: null });
    expect((await job(mailQueue, id))?.state).toBe('completed');
    expect(sink.to('drain@example.com')).toHaveLength(1);
  });

  it('a job whose worker is killed mid-delivery is picked up again by another worker', async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop('SIGTERM')));
    const doomed = await startWorker();
    sink.plan('stalled@example.com', 'hold', 'accept');
    const id = await jobs.enqueue('mail.send', resetMail('stalled@example.com'));
    await waitFor(
      () => sink.attempts.get('stalled@example.com') ?? 0,
      (n) => n > 0,
    );
    expect((await job(mailQueue, id))?.state).toBe('active');

    expect(await doomed.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    sink.release(); // the dead worker's delivery never completes its job

    const rescuer = await startWorker();
    await rescuer.waitForLog(/stalled/);
    const done = await waitFor(
      () => job(mailQueue, id),
      (j) => j?.state === 'completed',
      30_000,
    );
    expect(done?.state).toBe('completed');
    expect(sink.attempts.get('stalled@example.com')).toBe(2);
  });
});
