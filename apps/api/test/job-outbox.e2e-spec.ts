import Bull from 'bull';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { QueueName } from '@atrium/contracts';
import type { AtriumApp } from '../src/bootstrap';
import { Transactions } from '../src/database/transactions';
import { OutboxRelay } from '../src/events/outbox.relay';
import { JobsService } from '../src/jobs/jobs.service';
import { actors } from './support/actors';
import { SmtpSink } from './support/smtp-sink';
import { startTestApp, TestResources } from './support/test-app';
import { TEST_REDIS_URL } from './support/test-env';
import { waitFor } from './support/wait-for';
import { WorkerProcess } from './support/worker-process';

/**
 * Follow-up jobs live in the outbox until a worker reports them done: a queue that loses its
 * data (Redis restarted without persistence) gets them again, and the recurring schedules too.
 */
describe('jobs through the outbox', () => {
  const resources = new TestResources();
  const sink = new SmtpSink();
  let atrium: AtriumApp;
  let mailQueue: Bull.Queue;
  let maintenanceQueue: Bull.Queue;
  const { register } = actors(() => atrium);
  const sql = (text: string, values: unknown[] = []) => atrium.app.get(DataSource).query(text, values);
  const jobRows = () => sql(`SELECT job_id, dispatched_at FROM outbox_events WHERE kind = 'job'`);

  /** What a Redis restart without persistence does to the queues: every Bull key is gone. */
  const loseQueueData = async (): Promise<void> => {
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const keys = await redis.keys(`${resources.redisPrefix}bull:*`);
      if (keys.length > 0) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
  };

  beforeAll(async () => {
    await resources.create();
    await sink.start();
    atrium = await startTestApp(resources, { SMTP_URL: sink.url, APP_URL: 'https://app.atrium.test' });
    const bullOptions = { prefix: `${resources.redisPrefix}bull` };
    mailQueue = new Bull(QueueName.MAIL, TEST_REDIS_URL, bullOptions);
    maintenanceQueue = new Bull(QueueName.MAINTENANCE, TEST_REDIS_URL, bullOptions);
  });

  afterAll(async () => {
    await Promise.all([mailQueue?.close(), maintenanceQueue?.close()]);
    await atrium?.close();
    await sink.stop();
    await resources.drop();
  });

  it('hands a job lost with the queue data over again, re-registers the schedules, and forgets it once done', async () => {
    const ada = await register({ email: 'ada@example.com' });
    // The verification mail is queued (no worker yet) and remembered in the outbox.
    const [row] = await waitFor(jobRows, (rows) => rows.length === 1 && rows[0].dispatched_at !== null);
    expect(await mailQueue.getJob(row.job_id)).not.toBeNull();

    await loseQueueData();
    expect(await mailQueue.getJob(row.job_id)).toBeNull();
    expect(await maintenanceQueue.getRepeatableJobs()).toEqual([]);

    // The relay checks jobs dispatched a while ago and not reported done: pretend a while has passed.
    await sql(`UPDATE outbox_events SET dispatched_at = now() - interval '5 minutes' WHERE kind = 'job'`);
    const relay = atrium.app.get(OutboxRelay);
    await relay.drain(); // finds it gone and marks it for dispatch
    await relay.drain(); // dispatches it again
    expect(await mailQueue.getJob(row.job_id)).not.toBeNull();
    const schedules = await maintenanceQueue.getRepeatableJobs();
    expect(schedules.map((s) => s.name)).toEqual(['maintenance.cleanup']);

    // A worker delivers it, and the outbox lets go of it.
    const worker = await new WorkerProcess({
      NODE_ENV: 'test',
      DATABASE_URL: resources.databaseUrl,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: resources.redisPrefix,
      SMTP_URL: sink.url,
      APP_URL: 'https://app.atrium.test',
    }).start();
    try {
      const mails = await waitFor(
        () => sink.to(ada.email),
        (m) => m.length > 0,
      );
      expect(mails[0].parsed.subject).toMatch(/confirm your email/i);
      await waitFor(jobRows, (rows) => rows.length === 0);
    } finally {
      await worker.stop();
    }
  });

  it('keeps a delayed job due at its time when it hands it over again, not its whole delay anew', async () => {
    // A post scheduled ten seconds ahead; the queue loses it three seconds later.
    const dueAt = Date.now() + 10_000;
    await atrium.app
      .get(Transactions)
      .run(() =>
        atrium.app
          .get(JobsService)
          .enqueue(
            'posts.publish-scheduled',
            { postId: '0190f2a4-5b6c-7d8e-9f00-000000000001', at: new Date(dueAt).toISOString() },
            { delay: 10_000, jobId: 'due-time-kept' },
          ),
      );
    await waitFor(jobRows, (rows) =>
      rows.some(
        (r: { job_id: string; dispatched_at: Date | null }) => r.job_id === 'due-time-kept' && r.dispatched_at !== null,
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await loseQueueData();

    await sql(`UPDATE outbox_events SET dispatched_at = now() - interval '5 minutes' WHERE kind = 'job'`);
    const relay = atrium.app.get(OutboxRelay);
    await relay.drain();
    await relay.drain();
    const job = await maintenanceQueue.getJob('due-time-kept');
    expect(job).not.toBeNull();
    // Bull runs a delayed job at timestamp + delay: still the original time (not three seconds late).
    expect(Math.abs((job?.timestamp ?? 0) + Number(job?.opts.delay ?? 0) - dueAt)).toBeLessThan(1_000);
    await job?.remove();
  });
});
