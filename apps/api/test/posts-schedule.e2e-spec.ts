import { SystemRole } from '@atrium/contracts';
import { DataSource } from 'typeorm';
import type { AtriumApp } from '../src/bootstrap';
import { type Actor, actors } from './support/actors';
import { unique } from './support/factories';
import { startTestApp, TestResources } from './support/test-app';
import { TEST_REDIS_URL } from './support/test-env';
import { waitFor } from './support/wait-for';
import { WorkerProcess } from './support/worker-process';

/**
 * Scheduled publication in services mode: the API enqueues a delayed job (through the job
 * outbox) and a separate worker process publishes the post when it is due — by itself, with no
 * request. Rescheduling moves the time; unpublishing cancels it.
 */
describe('scheduled posts (API + worker on Redis)', () => {
  const resources = new TestResources();
  let atrium: AtriumApp;
  let worker: WorkerProcess;
  let author: Actor;
  const { call, asRole } = actors(() => atrium);

  const env = (): Record<string, string> => ({
    NODE_ENV: 'test',
    DATABASE_URL: resources.databaseUrl,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: resources.redisPrefix,
    AUTH_THROTTLE_LIMIT: '1000',
  });

  beforeAll(async () => {
    await resources.create();
    atrium = await startTestApp(resources, env());
    worker = await new WorkerProcess(env()).start();
    author = await asRole(SystemRole.AUTHOR);
  });

  afterAll(async () => {
    await worker?.stop('SIGTERM');
    await atrium?.close();
    await resources.drop();
  });

  const draft = async (): Promise<{ id: string; slug: string }> => {
    const res = await call('POST', '/api/v1/posts', {
      token: author.token,
      body: { title: unique('Scheduled'), body: 'Goes live later.' },
    });
    expect(res.statusCode).toBe(201);
    return res.json().data as { id: string; slug: string };
  };
  const schedule = (id: string, at: Date) =>
    call('POST', `/api/v1/posts/${id}/schedule`, { token: author.token, body: { at: at.toISOString() } });
  const statusOf = async (id: string): Promise<{ status: string; publishedAt: string | null }> =>
    (await call('GET', `/api/v1/posts/${id}`, { token: author.token })).json().data as {
      status: string;
      publishedAt: string | null;
    };

  it('goes live by itself at its time, dated then, and shows up in the public feed', async () => {
    const post = await draft();
    const at = new Date(Date.now() + 2_500);
    const scheduled = await schedule(post.id, at);
    expect(scheduled.statusCode).toBe(200);
    expect(scheduled.json().data).toMatchObject({
      status: 'scheduled',
      scheduledAt: at.toISOString(),
      publishedAt: null,
    });
    // Not before its time — and a reader's list of it is cached meanwhile.
    expect((await call('GET', `/api/v1/posts/${post.slug}`)).statusCode).toBe(404);
    const before = await call('GET', '/api/v1/posts', { query: { author: author.username } });
    expect((before.json().data as Array<{ id: string }>).map((p) => p.id)).not.toContain(post.id);

    const live = await waitFor(
      () => statusOf(post.id),
      (p) => p.status === 'published',
      15_000,
    );
    expect(live.publishedAt).toBe(at.toISOString());
    // The worker published it: the API's cached list was dropped, so the post is in it at once.
    const feed = await call('GET', '/api/v1/posts', { query: { author: author.username } });
    expect((feed.json().data as Array<{ id: string }>).map((p) => p.id)).toContain(post.id);
  });

  it('moves to the new time when rescheduled, and stays a draft when unpublished before its time', async () => {
    const moved = await draft();
    expect((await schedule(moved.id, new Date(Date.now() + 2_000))).statusCode).toBe(200);
    const later = new Date(Date.now() + 6_000);
    expect((await schedule(moved.id, later)).statusCode).toBe(200);

    const cancelled = await draft();
    expect((await schedule(cancelled.id, new Date(Date.now() + 2_000))).statusCode).toBe(200);
    const unpublish = await call('POST', `/api/v1/posts/${cancelled.id}/unpublish`, { token: author.token });
    expect(unpublish.json().data).toMatchObject({ status: 'draft', scheduledAt: null });

    // Past the first time: the first job ran and found nothing to do for either post.
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    expect((await statusOf(moved.id)).status).toBe('scheduled');
    expect((await statusOf(cancelled.id)).status).toBe('draft');

    const live = await waitFor(
      () => statusOf(moved.id),
      (p) => p.status === 'published',
      15_000,
    );
    expect(live.publishedAt).toBe(later.toISOString());
    expect((await statusOf(cancelled.id)).status).toBe('draft');
    // The jobs that found nothing to do recorded nothing: one publication, and none of the cancelled post.
    const published = await atrium.app
      .get(DataSource)
      .query<Array<{ target: string; count: number }>>(
        `SELECT target, count(*)::int AS count FROM audit_events WHERE action = 'post.published' AND target = ANY($1) GROUP BY target`,
        [[`post:${moved.id}`, `post:${cancelled.id}`]],
      );
    expect(published).toEqual([{ target: `post:${moved.id}`, count: 1 }]);
  });

  it('refuses a time in the past and a post that is already published', async () => {
    const post = await draft();
    const past = await schedule(post.id, new Date(Date.now() - 60_000));
    expect(past.statusCode).toBe(400);
    expect(past.json().error.details).toEqual([expect.objectContaining({ field: 'at', code: 'IN_THE_PAST' })]);
    // A time without its zone would be read in the server's zone: refused, like one without seconds.
    for (const at of ['2030-12-24T18:00:00', '2030-12-24T18:00Z', '2030-12-24 18:00:00Z']) {
      const vague = await call('POST', `/api/v1/posts/${post.id}/schedule`, { token: author.token, body: { at } });
      expect([at, vague.statusCode]).toEqual([at, 400]);
      expect(vague.json().error.details).toEqual([expect.objectContaining({ field: 'at', code: 'IS_DATE_TIME' })]);
    }
    await call('POST', `/api/v1/posts/${post.id}/publish`, { token: author.token });
    const again = await schedule(post.id, new Date(Date.now() + 60_000));
    expect(again.statusCode).toBe(409);
    // Nothing was enqueued for either refusal.
    const [row] = await atrium.app
      .get(DataSource)
      .query<[{ count: string }]>(
        `SELECT count(*) FROM outbox_events WHERE kind = 'job' AND name = 'posts.publish-scheduled' AND job_id LIKE $1`,
        [`post-publish-${post.id}-%`],
      );
    expect(Number(row.count)).toBe(0);
  });
});
