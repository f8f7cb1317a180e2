import { randomUUID } from 'node:crypto';
import Bull from 'bull';
import { DataSource } from 'typeorm';
import { ErrorCode, JobRunner, QueueName } from '@atrium/contracts';
import type { AtriumApp } from '../src/bootstrap';
import { JobsService } from '../src/jobs/jobs.service';
import { CacheService } from '../src/common/cache';
import { STATS_CACHE, STATS_CACHE_KEY } from '../src/modules/admin/stats.service';
import { actors } from './support/actors';
import type { HttpMethod } from './support/api';
import { PASSWORD } from './support/factories';
import { startTestApp, TestResources } from './support/test-app';
import { TEST_REDIS_URL } from './support/test-env';

const APP_URL = 'https://app.atrium.test';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * The admin operations API in services mode: the API enqueues on Bull (real Redis) and no worker
 * runs, so jobs stay where the test puts them. Jobs reach active, completed and failed the way a
 * worker moves them: the test takes the next job with its own Bull handle (`getNextJob` locks it,
 * as a worker does) and finishes it with Bull's own `moveToCompleted` / `moveToFailed`. That keeps
 * the state real Bull state, read back by the same BullJobRunner production uses, which an
 * embedded app would not exercise at all (it runs the in-process runner, covered by unit specs).
 */
describe('admin: queues and stats', () => {
  const resources = new TestResources();
  let atrium: AtriumApp;
  let db: DataSource;
  let jobs: JobsService;
  let mailQueue: Bull.Queue;
  let maintenanceQueue: Bull.Queue;
  let admin: { id: string; email: string; token: string };
  let plain: { id: string; email: string; token: string };

  const env = (): Record<string, string> => ({
    NODE_ENV: 'test',
    DATABASE_URL: resources.databaseUrl,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: resources.redisPrefix,
    APP_URL,
    CORS_ORIGINS: APP_URL,
    AUTH_THROTTLE_LIMIT: '1000',
    LOCKOUT_THRESHOLD: '10',
  });

  const { call, register, login, signIn, grantRole, verifyEmail } = actors(() => atrium);

  /** Takes the oldest waiting job and locks it, as a worker does; null when none waits. */
  const takeNext = async (queue: Bull.Queue): Promise<Bull.Job> => {
    const job = (await queue.getNextJob()) as Bull.Job | undefined | null;
    if (!job) throw new Error(`no waiting job in ${queue.name}`);
    return job;
  };

  /** What a worker does when a processor throws a permanent error: no retry, straight to failed. */
  const failForGood = async (job: Bull.Job, reason: string): Promise<void> => {
    // Typed as a promise, but Bull only sets a flag that moveToFailed reads.
    void job.discard();
    await job.moveToFailed(new Error(reason));
  };

  /** What a worker does when a processor returns, except that it does not take the next job on. */
  const complete = (job: Bull.Job): Promise<unknown> => job.moveToCompleted('done', false, true);

  const bullState = async (queue: Bull.Queue, id: string) => {
    const job = await queue.getJob(id);
    return job && { state: await job.getState(), failedReason: job.failedReason, attemptsMade: job.attemptsMade };
  };

  beforeAll(async () => {
    await resources.create();
    atrium = await startTestApp(resources, env());
    db = atrium.app.get(DataSource);
    jobs = atrium.app.get(JobsService);
    const bullOptions = { prefix: `${resources.redisPrefix}bull` };
    mailQueue = new Bull(QueueName.MAIL, TEST_REDIS_URL, bullOptions);
    maintenanceQueue = new Bull(QueueName.MAINTENANCE, TEST_REDIS_URL, bullOptions);

    // Registered first: its verification mail is the oldest job in the mail queue.
    const root = await register({ username: 'root' });
    const pleb = await register({ username: 'pleb' });
    // Both verified, so a 403 below can only be about permissions. Roles are granted before the
    // first authenticated request, so no cached permission set predates them.
    await verifyEmail(root.id);
    await verifyEmail(pleb.id);
    await grantRole(root.id, 'admin');
    admin = { ...root, token: (await signIn('root')).token };
    plain = { ...pleb, token: (await signIn('pleb')).token };
  });

  afterAll(async () => {
    await Promise.all([mailQueue?.close(), maintenanceQueue?.close()]);
    await atrium?.close();
    await resources.drop();
  });

  describe('access', () => {
    const routes: Array<[HttpMethod, string]> = [
      ['GET', '/api/v1/admin/queues'],
      ['GET', '/api/v1/admin/queues/mail/jobs?state=failed'],
      ['POST', '/api/v1/admin/queues/mail/jobs/1/retry'],
      ['DELETE', '/api/v1/admin/queues/mail/jobs/1'],
      ['GET', '/api/v1/admin/stats'],
    ];

    it('answers 401 without a token', async () => {
      for (const [method, url] of routes) {
        const res = await call(method, url);
        expect({ method, url, status: res.statusCode, code: res.json().error?.code }).toEqual({
          method,
          url,
          status: 401,
          code: ErrorCode.UNAUTHENTICATED,
        });
      }
    });

    it('answers 403 to a signed-in user without the queues and stats permissions', async () => {
      for (const [method, url] of routes) {
        const res = await call(method, url, { token: plain.token });
        expect({ method, url, status: res.statusCode, code: res.json().error?.code }).toEqual({
          method,
          url,
          status: 403,
          code: ErrorCode.FORBIDDEN,
        });
      }
    });
  });

  describe('queues', () => {
    // Every test here starts from an empty maintenance queue (only this file writes to it).
    beforeEach(async () => {
      await maintenanceQueue.empty();
      await maintenanceQueue.clean(0, 'completed');
      await maintenanceQueue.clean(0, 'failed');
    });

    const enqueue = (jobId: string, delay?: number) =>
      jobs.enqueue('maintenance.cleanup', {}, { jobId, ...(delay === undefined ? {} : { delay }) });

    it('counts the jobs of every queue per state', async () => {
      for (const id of ['c-failed', 'c-active', 'c-completed', 'c-waiting']) await enqueue(id);
      await enqueue('c-delayed', 3_600_000);
      await failForGood(await takeNext(maintenanceQueue), '550 no such mailbox');
      const active = await takeNext(maintenanceQueue);
      await complete(await takeNext(maintenanceQueue));
      try {
        const res = await call('GET', '/api/v1/admin/queues', { token: admin.token });
        expect(res.statusCode).toBe(200);
        const { runner, queues } = res.json().data;
        expect(runner).toBe(JobRunner.REDIS);
        expect(queues.map((q: { name: string }) => q.name)).toEqual([
          QueueName.MAIL,
          QueueName.MAINTENANCE,
          QueueName.CONTENT,
        ]);
        expect(queues[1].counts).toEqual({ waiting: 1, active: 1, delayed: 1, failed: 1, completed: 1 });
        // The mail queue holds the verification and sign-in mails of the accounts above, untouched.
        const bull = await mailQueue.getJobCounts();
        expect(bull.waiting).toBeGreaterThanOrEqual(2);
        expect(queues[0].counts).toEqual({
          waiting: bull.waiting,
          active: bull.active,
          delayed: bull.delayed,
          failed: bull.failed,
          completed: bull.completed,
        });
      } finally {
        await complete(active);
      }
    });

    it('lists the jobs of one state newest first, a page at a time, with meta.pagination', async () => {
      const ids = ['p1', 'p2', 'p3', 'p4', 'p5'];
      for (const id of ids) await enqueue(id);
      await enqueue('p-later', 3_600_000);

      const page = async (n: number) => {
        const res = await call('GET', `/api/v1/admin/queues/maintenance/jobs?state=waiting&page=${n}&perPage=2`, {
          token: admin.token,
        });
        expect(res.statusCode).toBe(200);
        return res.json<{ data: Array<{ id: string }>; meta: { pagination: unknown } }>();
      };
      const [first, second, third, beyond] = await Promise.all([page(1), page(2), page(3), page(4)]);
      expect(first.meta.pagination).toEqual({
        page: 1,
        perPage: 2,
        totalItems: 5,
        totalPages: 3,
        hasNext: true,
        hasPrev: false,
      });
      expect(second.meta.pagination).toMatchObject({ page: 2, hasNext: true, hasPrev: true });
      expect(third.meta.pagination).toMatchObject({ page: 3, hasNext: false, hasPrev: true });
      expect([...first.data, ...second.data, ...third.data].map((j) => j.id)).toEqual([...ids].reverse());
      expect(beyond.data).toEqual([]);
      expect(first.data[0]).toEqual({
        id: 'p5',
        queue: QueueName.MAINTENANCE,
        name: 'maintenance.cleanup',
        state: 'waiting',
        attemptsMade: 0,
        attempts: 5,
        failedReason: null,
        data: {},
        createdAt: expect.stringMatching(ISO),
        finishedAt: null,
      });

      const delayed = await call('GET', '/api/v1/admin/queues/maintenance/jobs?state=delayed', { token: admin.token });
      expect(delayed.json().data.map((j: { id: string }) => j.id)).toEqual(['p-later']);
      expect(delayed.json().meta.pagination).toMatchObject({ page: 1, perPage: 20, totalItems: 1 });
    });

    it('refuses an unknown queue (404) and a bad state or page size (400)', async () => {
      const get = (url: string) => call('GET', `/api/v1${url}`, { token: admin.token });
      const unknown = await get('/admin/queues/nope/jobs?state=failed');
      expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, ErrorCode.NOT_FOUND]);
      for (const url of [
        '/admin/queues/mail/jobs?state=broken',
        '/admin/queues/mail/jobs',
        '/admin/queues/mail/jobs?state=failed&perPage=101',
        '/admin/queues/mail/jobs?state=failed&page=0',
        '/admin/queues/mail/jobs?state=failed&page=x',
      ]) {
        const res = await get(url);
        expect({ url, status: res.statusCode, code: res.json().error.code }).toEqual({
          url,
          status: 400,
          code: ErrorCode.VALIDATION_ERROR,
        });
      }
      const retry = await call('POST', '/api/v1/admin/queues/nope/jobs/1/retry', { token: admin.token });
      expect(retry.statusCode).toBe(404);
      const missing = await call('DELETE', '/api/v1/admin/queues/mail/jobs/no-such-job', { token: admin.token });
      expect([missing.statusCode, missing.json().error.code]).toEqual([404, ErrorCode.NOT_FOUND]);
    });

    it('shows mail jobs by template and recipient, never their variables (one-use links)', async () => {
      // The secrets are really in the queue: the verification link with its token.
      const raw = (await mailQueue.getWaiting()).map((j) => j.data as { template: string; variables: object });
      const verify = raw.find((d) => d.template === 'verify-email');
      expect(JSON.stringify(verify?.variables)).toMatch(/verify-email\?token=/);

      const res = await call('GET', '/api/v1/admin/queues/mail/jobs?state=waiting&perPage=100', { token: admin.token });
      expect(res.statusCode).toBe(200);
      const listed = res.json().data as Array<{ name: string; data: Record<string, string> }>;
      expect(listed).toHaveLength(raw.length);
      expect(listed.map((j) => j.data)).toEqual(
        expect.arrayContaining([
          { template: 'verify-email', to: admin.email },
          { template: 'verify-email', to: plain.email },
        ]),
      );
      for (const job of listed) expect(Object.keys(job.data).sort()).toEqual(['template', 'to']);
      expect(res.body).not.toMatch(/token=|verifyUrl|sessionsUrl|variables|username/);
    });

    it('retries a failed job back to waiting, and deletes jobs', async () => {
      // The oldest mail job: the admin's own verification mail, failed for good by the "worker".
      const mail = await takeNext(mailQueue);
      expect(mail.data).toMatchObject({ template: 'verify-email', to: admin.email });
      await failForGood(mail, '550 mailbox unavailable');
      const id = String(mail.id);

      const failed = await call('GET', '/api/v1/admin/queues/mail/jobs?state=failed', { token: admin.token });
      expect(failed.json().data).toEqual([
        {
          id,
          queue: QueueName.MAIL,
          name: 'mail.send',
          state: 'failed',
          attemptsMade: 1,
          attempts: 5,
          failedReason: '550 mailbox unavailable',
          data: { template: 'verify-email', to: admin.email },
          createdAt: expect.stringMatching(ISO),
          finishedAt: expect.stringMatching(ISO),
        },
      ]);
      expect(failed.body).not.toMatch(/token=|verifyUrl/);

      const retried = await call('POST', `/api/v1/admin/queues/mail/jobs/${id}/retry`, { token: admin.token });
      expect(retried.statusCode).toBe(200);
      expect(retried.json().data).toMatchObject({ id, state: 'waiting', failedReason: null, finishedAt: null });
      expect(await bullState(mailQueue, id)).toEqual({ state: 'waiting', failedReason: undefined, attemptsMade: 1 });
      const afterRetry = await call('GET', '/api/v1/admin/queues', { token: admin.token });
      expect(afterRetry.json().data.queues[0].counts.failed).toBe(0);

      // Not failed (any more): 409, and nothing changes.
      const again = await call('POST', `/api/v1/admin/queues/mail/jobs/${id}/retry`, { token: admin.token });
      expect([again.statusCode, again.json().error.code]).toEqual([409, ErrorCode.CONFLICT]);
      expect((await bullState(mailQueue, id))?.state).toBe('waiting');

      // The retried mail is deleted: it will not be sent.
      const removed = await call('DELETE', `/api/v1/admin/queues/mail/jobs/${id}`, { token: admin.token });
      expect(removed.statusCode).toBe(200);
      expect(await mailQueue.getJob(id)).toBeNull();
      const gone = await call('DELETE', `/api/v1/admin/queues/mail/jobs/${id}`, { token: admin.token });
      expect(gone.statusCode).toBe(404);
      // Audited, with who did it.
      const audit = await db.query<Array<{ action: string; actor_id: string; target: string }>>(
        `SELECT "action", "actor_id", "target" FROM "audit_events" WHERE "action" LIKE 'queue.%' ORDER BY "created_at"`,
      );
      expect(audit).toEqual([
        { action: 'queue.job_retried', actor_id: admin.id, target: `job:mail/${id}` },
        { action: 'queue.job_removed', actor_id: admin.id, target: `job:mail/${id}` },
      ]);
    });

    it('retries only failed jobs (409) and removes anything but a running job (409)', async () => {
      for (const id of ['r-active', 'r-completed', 'r-waiting']) await enqueue(id);
      await enqueue('r-delayed', 3_600_000);
      const active = await takeNext(maintenanceQueue);
      await complete(await takeNext(maintenanceQueue));
      try {
        for (const id of ['r-active', 'r-completed', 'r-waiting', 'r-delayed']) {
          const res = await call('POST', `/api/v1/admin/queues/maintenance/jobs/${id}/retry`, { token: admin.token });
          expect({ id, status: res.statusCode, code: res.json().error?.code }).toEqual({
            id,
            status: 409,
            code: ErrorCode.CONFLICT,
          });
        }
        expect(await bullState(maintenanceQueue, 'r-delayed')).toMatchObject({ state: 'delayed' });

        const running = await call('DELETE', '/api/v1/admin/queues/maintenance/jobs/r-active', { token: admin.token });
        expect([running.statusCode, running.json().error.code]).toEqual([409, ErrorCode.CONFLICT]);
        expect((await bullState(maintenanceQueue, 'r-active'))?.state).toBe('active');

        for (const id of ['r-completed', 'r-waiting', 'r-delayed']) {
          const res = await call('DELETE', `/api/v1/admin/queues/maintenance/jobs/${id}`, { token: admin.token });
          expect({ id, status: res.statusCode }).toEqual({ id, status: 200 });
          expect(await maintenanceQueue.getJob(id)).toBeNull();
        }
        // A job of another queue is not found through this one.
        const elsewhere = await call('DELETE', '/api/v1/admin/queues/mail/jobs/r-active', { token: admin.token });
        expect(elsewhere.statusCode).toBe(404);
      } finally {
        await complete(active);
      }
      const counts = await call('GET', '/api/v1/admin/queues', { token: admin.token });
      expect(counts.json().data.queues[1].counts).toEqual({
        waiting: 0,
        active: 0,
        delayed: 0,
        failed: 0,
        completed: 1,
      });
    });
  });

  describe('stats', () => {
    const day = (offset: number) =>
      `((now() AT TIME ZONE 'UTC')::date - ${offset})::timestamp AT TIME ZONE 'UTC' + interval '12 hours'`;
    let today: string;
    let expectedTotal: number;
    let topPosts: Array<Record<string, unknown>>;

    beforeAll(async () => {
      // Today: sign-ups carol, dave (root and pleb above); sign-ins root, pleb, carol ×2, dave.
      const carol = await register({ username: 'carol' });
      const dave = await register({ username: 'dave' });
      const erin = await register({ username: 'erin' }); // backdated to 3 days ago
      const fred = await register({ username: 'fred' }); // backdated to 40 days ago: outside the 30 days
      await db.query(`UPDATE "users" SET "created_at" = ${day(3)} WHERE "id" = $1`, [erin.id]);
      await db.query(`UPDATE "users" SET "created_at" = ${day(40)} WHERE "id" = $1`, [fred.id]);

      await signIn('carol');
      await signIn('carol');
      // One of carol's sessions has run out; it is not active any more.
      await db.query(
        `UPDATE "sessions" SET "expires_at" = now() - interval '1 minute'
          WHERE "id" = (SELECT "id" FROM "sessions" WHERE "user_id" = $1 ORDER BY "created_at" LIMIT 1)`,
        [carol.id],
      );
      // One of carol's sign-ins happened 3 days ago.
      await db.query(
        `UPDATE "audit_events" SET "created_at" = ${day(3)}
          WHERE "id" = (SELECT "id" FROM "audit_events" WHERE "action" = 'auth.login' AND "actor_id" = $1
                        ORDER BY "created_at" LIMIT 1)`,
        [carol.id],
      );

      // Three failed sign-ins: two wrong passwords, one unknown account.
      expect((await login('dave', 'wrong password one')).statusCode).toBe(401);
      expect((await login('dave@example.com', 'wrong password two')).statusCode).toBe(401);
      expect((await login('nobody', PASSWORD)).statusCode).toBe(401);
      // dave signs in, then deletes his account: his session ends and he no longer counts.
      const daveToken = (await signIn('dave')).token;
      const deleted = await call('DELETE', '/api/v1/me', { token: daveToken, body: { password: PASSWORD } });
      expect(deleted.statusCode).toBe(200);

      // Roles: an editor until tomorrow, an author whose assignment has expired; everyone is a user.
      await grantRole(carol.id, 'editor', new Date(Date.now() + 24 * 3600_000));
      await grantRole(erin.id, 'author', new Date(Date.now() - 3600_000));
      for (const { id } of [admin, plain, carol, dave, erin, fred]) await grantRole(id, 'user');
      expectedTotal = 5; // root, pleb, carol, erin, fred

      // Content: alpha and gamma published today (gamma archived since), beta 3 days ago, delta a
      // draft; views 7 (alpha) and 3 (beta); one comment waiting for a moderator.
      const post = async (title: string): Promise<string> => {
        const res = await call('POST', '/api/v1/posts', {
          token: admin.token,
          body: { title, body: `About ${title}.` },
        });
        expect(res.statusCode).toBe(201);
        return res.json().data.id as string;
      };
      const [alpha, beta, gamma] = [await post('Alpha'), await post('Beta'), await post('Gamma')];
      await post('Delta');
      for (const id of [alpha, beta, gamma]) {
        expect((await call('POST', `/api/v1/posts/${id}/publish`, { token: admin.token })).statusCode).toBe(200);
      }
      expect((await call('POST', `/api/v1/posts/${gamma}/archive`, { token: admin.token })).statusCode).toBe(200);
      await db.query(`UPDATE "posts" SET "published_at" = ${day(3)} WHERE "id" = $1`, [beta]);
      await db.query(`UPDATE "posts" SET "view_count" = CASE "id" WHEN $1 THEN 7 ELSE 3 END WHERE "id" IN ($1, $2)`, [
        alpha,
        beta,
      ]);
      const pending = randomUUID();
      await db.query(
        `INSERT INTO "comments" ("id", "post_id", "author_id", "root_id", "depth", "body_markdown", "body_html", "status")
         VALUES ($1, $2, $3, $1, 0, 'Hi', '<p>Hi</p>', 'pending')`,
        [pending, alpha, plain.id],
      );
      topPosts = [
        { id: alpha, title: 'Alpha', slug: 'alpha', viewCount: 7, commentCount: 0 },
        { id: beta, title: 'Beta', slug: 'beta', viewCount: 3, commentCount: 0 },
      ];

      [{ today }] = await db.query<Array<{ today: string }>>(
        `SELECT to_char((now() AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS "today"`,
      );
    });

    it('reports users, roles, active sessions and 30 zero-filled UTC days from the rows', async () => {
      const res = await call('GET', '/api/v1/admin/stats', { token: admin.token });
      expect(res.statusCode).toBe(200);
      const stats = res.json().data;

      expect(stats.generatedAt).toMatch(ISO);
      expect(stats.users).toEqual({
        total: expectedTotal,
        byRole: [
          { role: 'admin', level: 100, users: 1 },
          { role: 'editor', level: 50, users: 1 },
          { role: 'author', level: 20, users: 0 },
          { role: 'user', level: 10, users: expectedTotal },
        ],
      });
      // root, pleb and one of carol's two; dave's ended with his account.
      expect(stats.sessions).toEqual({ active: 3 });
      expect(stats.content).toEqual({
        postsByStatus: { draft: 1, scheduled: 0, published: 2, archived: 1 },
        commentsPending: 1,
        topPosts,
      });

      const days = stats.days as Array<{
        date: string;
        newUsers: number;
        logins: number;
        failedLogins: number;
        postsPublished: number;
      }>;
      expect(days).toHaveLength(30);
      expect(days[29].date).toBe(today);
      for (let i = 1; i < days.length; i += 1) {
        const step = Date.parse(`${days[i].date}T00:00:00Z`) - Date.parse(`${days[i - 1].date}T00:00:00Z`);
        expect(step).toBe(24 * 3600_000);
      }
      expect(days[29]).toEqual({ date: today, newUsers: 4, logins: 4, failedLogins: 3, postsPublished: 2 });
      expect(days[26]).toMatchObject({ newUsers: 1, logins: 1, failedLogins: 0, postsPublished: 1 });
      const quiet = days.filter((_, i) => i !== 29 && i !== 26);
      expect(quiet).toHaveLength(28);
      for (const d of quiet)
        expect(d).toEqual({ date: d.date, newUsers: 0, logins: 0, failedLogins: 0, postsPublished: 0 });
    });

    it('serves the figures from a 30-second cache', async () => {
      const first = (await call('GET', '/api/v1/admin/stats', { token: admin.token })).json().data;
      await register({ username: 'late' });
      const cached = (await call('GET', '/api/v1/admin/stats', { token: admin.token })).json().data;
      expect(cached).toEqual(first);
      // Once the entry expires (dropped here rather than waited for), the new account counts.
      await atrium.app.get(CacheService).invalidate(STATS_CACHE, STATS_CACHE_KEY);
      const fresh = (await call('GET', '/api/v1/admin/stats', { token: admin.token })).json().data;
      expect(fresh.generatedAt).not.toBe(first.generatedAt);
      expect(fresh.users.total).toBe(first.users.total + 1);
      expect(fresh.days[29].newUsers).toBe(first.days[29].newUsers + 1);
    });
  });
});
