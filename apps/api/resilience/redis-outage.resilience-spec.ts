import { newAccount } from '../test/support/factories';
import { type Account, type Atrium, type AtriumProcess, SUBJECT } from './harness/atrium';
import { type Answer, describeOutcome, type Outcome } from './harness/http';
import { closedLoop, summarize, violationsOf } from './harness/load';
import { scenario, useAtrium } from './harness/scenario';
import { pollFor, sleep, until } from './harness/wait';

type Readiness = { status: string; checks: { redis: { status: string } } };
type ReadinessDetails = { status: string; checks: Record<string, { status: string }> };

/** How soon after Redis is back every process must be ready again: a reconnect attempt at most
 * every 2 s, a readiness probe, and this machine's slowness. */
const RECOVERY_MS = 8_000;

/** `GET /api/v1/auth/me` with `token` on each replica: the statuses. */
const meOnBoth = (h: Atrium, token: string): Promise<number[]> =>
  Promise.all([h.a, h.b].map(async (r) => (await r.http.get('/api/v1/auth/me', { token })).status));

/** Checks `token` on both replicas `times` times over `spanMs`: every status seen. */
async function statusesOver(h: Atrium, token: string, times: number, spanMs: number): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < times; i++) {
    seen.push(...(await meOnBoth(h, token)));
    await sleep(spanMs / times);
  }
  return seen;
}

const login = (via: AtriumProcess, account: Account, password = account.password): Promise<Answer> =>
  via.http.post('/api/v1/auth/login', { login: account.username, password });

/** Findings 2, 3, 4, 5 and 10 of issue 10: what users see while Redis is stopped, frozen or emptied. */
describe('Redis outages', () => {
  const atrium = useAtrium({ name: 'redis-outage' });

  scenario(
    'finding 2: a signed-out access token stays refused on both replicas across a Redis restart, also when signed out during the outage; afterwards sign-outs reach the other replica at once again',
    atrium,
    async (h) => {
      // Signed out, then Redis restarts without persistence (Redis never held it: the sessions table does).
      const leaving = await h.signedIn();
      const staying = await h.signedIn();
      expect(await meOnBoth(h, leaving.token)).toEqual([200, 200]);
      const logout = await h.a.http.post('/api/v1/auth/logout', undefined, { token: leaving.token });
      expect(logout.status).toBe(200);
      expect(await meOnBoth(h, leaving.token)).toEqual([401, 401]);
      await h.redis.restart();
      await h.redisReconnected();
      expect(await statusesOver(h, leaving.token, 6, 3000)).toEqual(Array(12).fill(401));
      expect(await meOnBoth(h, staying.token)).toEqual([200, 200]);

      // Signed out while Redis is down: the logout is recorded (200, never a 500), and the token
      // stays refused during the outage and after Redis is back.
      const duringOutage = await h.signedIn();
      const bystander = await h.signedIn();
      await h.redis.stop();
      const outageLogout = await h.a.http.post('/api/v1/auth/logout', undefined, { token: duringOutage.token });
      expect(outageLogout.describe()).toMatch(/→ 200 /);
      expect(await meOnBoth(h, duringOutage.token)).toEqual([401, 401]);
      await h.redis.start();
      await h.redisReconnected();
      expect(await statusesOver(h, duringOutage.token, 6, 3000)).toEqual(Array(12).fill(401));
      expect(await meOnBoth(h, bystander.token)).toEqual([200, 200]);

      // Once Redis is back, replica B hears A's sign-outs again (decision 123: its subscription is
      // renewed): a token B has just found live is refused there at once, not a second later.
      await until(
        'a sign-out on A refused on B at once',
        async () => {
          const next = await h.signedIn();
          expect(await meOnBoth(h, next.token)).toEqual([200, 200]);
          expect((await h.a.http.post('/api/v1/auth/logout', undefined, { token: next.token })).status).toBe(200);
          return (await h.b.http.get('/api/v1/auth/me', { token: next.token })).status === 401;
        },
        15_000,
        100,
      );
    },
  );

  scenario(
    'finding 3: with Redis frozen (SIGSTOP) for 10 s, routes that need only Postgres answer 2xx, each within 2 s, p50 under 500 ms on each route',
    atrium,
    async (h) => {
      const FREEZE_MS = 10_000;
      const admin = await h.signedIn({ roles: ['admin'] });
      const user = await h.signedIn();
      // A reader's post: its read is counted in Redis (the view buffer), behind the deadline and
      // breaker since decision 114; before, each read waited out the 500 ms timeout.
      const author = await h.signedIn({ roles: ['author'] });
      const draft = await h.a.http.post(
        '/api/v1/posts',
        { title: `Read while Redis is frozen ${Date.now()}`, body: 'A post read during the freeze.' },
        { token: author.token },
      );
      const { id, slug } = draft.json<{ data: { id: string; slug: string } }>().data;
      expect((await h.a.http.post(`/api/v1/posts/${id}/publish`, undefined, { token: author.token })).status).toBe(200);
      const routes = [
        { method: 'GET' as const, path: '/api/v1/auth/me', token: user.token, label: 'me' },
        { method: 'GET' as const, path: '/api/v1/users?perPage=5', token: admin.token, label: 'users' },
        { method: 'GET' as const, path: `/api/v1/posts/${slug}`, label: 'post' },
      ];
      // Warm: every route answers before the freeze.
      for (const replica of [h.a, h.b]) {
        for (const route of routes) expect((await replica.http.call(route)).status).toBe(200);
      }

      h.redis.freeze();
      const frozenAt = Date.now();
      const thaw = sleep(FREEZE_MS).then(() => h.redis.thaw());
      let outcomes: Outcome[];
      try {
        outcomes = await closedLoop({
          concurrency: 8,
          durationMs: FREEZE_MS - 500,
          pauseMs: 50,
          next: (worker, i) => (worker % 2 === 0 ? h.a : h.b).http.send(routes[i % routes.length], 15_000),
        });
      } finally {
        await thaw;
      }
      const during = outcomes.filter((o) => o.start >= frozenAt && o.start < frozenAt + FREEZE_MS);
      const summary = summarize(during);
      const problems = [
        ...during
          .filter((o) => o.error !== undefined || (o.status ?? 0) < 200 || (o.status ?? 0) >= 300)
          .map((o) => `not 2xx: ${describeOutcome(o)}`),
        ...during.filter((o) => o.ms > 2000).map((o) => `slower than 2 s: ${describeOutcome(o)}`),
        ...routes.flatMap(({ label }) => {
          const { p50 } = summarize(during.filter((o) => o.label === label));
          return p50 < 500 ? [] : [`${label}: p50 ${p50} ms (want < 500 ms)`];
        }),
        ...violationsOf(during),
      ];
      expect({ problems: problems.slice(0, 12), count: problems.length, summary }).toEqual({
        problems: [],
        count: 0,
        summary,
      });
      expect(during.length).toBeGreaterThan(20);
    },
  );

  scenario(
    'finding 4: with Redis stopped, sign-in works and the lockout still locks (423 with Retry-After); the lock outlasts the outage',
    atrium,
    async (h) => {
      const member = await h.account();
      const target = await h.account();
      await h.redis.stop();

      const signIn = await login(h.a, member);
      expect(signIn.describe()).toMatch(/→ 200 /);
      const token = signIn.json<{ data: { accessToken: string } }>().data.accessToken;
      expect(await meOnBoth(h, token)).toEqual([200, 200]);
      expect((await login(h.b, member)).status).toBe(200);

      // Five wrong passwords, through both replicas: each refused (401, or 423 once locked), never a 500.
      const wrong: Answer[] = [];
      for (let i = 0; i < 5; i++) wrong.push(await login(i % 2 === 0 ? h.a : h.b, target, 'not the password 1'));
      expect(wrong.map((r) => r.describe()).filter((d) => !/→ (401|423) /.test(d))).toEqual([]);
      // Locked: even the right password is refused, with the time to wait.
      for (const replica of [h.a, h.b]) {
        const locked = await login(replica, target);
        expect(locked.describe()).toMatch(/→ 423 ACCOUNT_LOCKED/);
        expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      }

      await h.redis.start();
      await h.redisReconnected();
      for (const replica of [h.a, h.b]) {
        const locked = await login(replica, target);
        expect(locked.describe()).toMatch(/→ 423 ACCOUNT_LOCKED/);
        expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      }
      expect((await login(h.a, member)).status).toBe(200);
    },
  );

  scenario(
    'finding 5: with Redis stopped, registration answers 202 within 2 s; a retry makes no second account; the verification mail arrives once Redis is back',
    atrium,
    async (h) => {
      await h.settleMail();
      await h.redis.stop();
      const first = newAccount({ username: `res5a-${Date.now().toString(36)}` });
      const second = newAccount({ username: `res5b-${Date.now().toString(36)}` });
      const register = (via: AtriumProcess, account: typeof first): Promise<Outcome> =>
        via.http.send({ method: 'POST', path: '/api/v1/auth/register', body: account }, 15_000);

      const created = await register(h.a, first);
      // The client did not trust the answer and sends the same sign-up again, through the other replica.
      const retry = await register(h.b, first);
      const other = await register(h.b, second);
      for (const o of [created, other]) {
        expect(`${o.status ?? o.error} in ${o.ms < 2000 ? '< 2 s' : `${Math.round(o.ms)} ms`}`).toBe('202 in < 2 s');
      }
      expect(`${retry.status ?? retry.error} ${retry.code ?? ''}`.trim()).toBe('409 CONFLICT');
      expect(retry.ms).toBeLessThan(2000);
      expect(violationsOf([created, retry, other])).toEqual([]);
      const accounts = await h.postgres.query<{ n: string }>(
        `SELECT count(*) AS n FROM "users" WHERE lower("email") IN (lower($1), lower($2))`,
        [first.email, second.email],
      );
      expect(Number(accounts[0].n)).toBe(2);

      // Nothing is lost: once Redis is back, both verification mails are delivered.
      await sleep(2000);
      await h.redis.start();
      const missing = await h.waitForMails([first.email, second.email], SUBJECT.verifyEmail, 60_000);
      expect(missing).toEqual([]);
      expect(h.mails(first.email, SUBJECT.verifyEmail).length).toBeGreaterThanOrEqual(1);
    },
    150_000,
  );

  scenario(
    'finding 10: with Redis stopped, both replicas stay ready (200, degraded, redis down); the worker reports 503 until Redis is back',
    atrium,
    async (h) => {
      const workerReadiness = async (): Promise<number> =>
        (await h.worker.http.send({ method: 'GET', path: '/readiness' }, 5000)).status ?? 0;
      const user = await h.signedIn();
      expect(await workerReadiness()).toBe(200);
      await h.redis.stop();
      const stopped = Date.now();
      await sleep(500);
      for (const replica of [h.a, h.b]) {
        const res = await replica.http.send({ method: 'GET', path: '/readiness' }, 10_000);
        // Anything but 200 is shown whole (its body names the check that failed).
        const seen =
          res.status === 200 ? `200 in ${res.ms < 3000 ? '< 3 s' : `${Math.round(res.ms)} ms`}` : describeOutcome(res);
        expect(`${replica.name}: ${seen}`).toBe(`${replica.name}: 200 in < 3 s`);
        const body = JSON.parse(res.body?.toString('utf8') ?? '{}') as Readiness;
        expect({ status: body.status, redis: body.checks?.redis?.status }).toEqual({
          status: 'degraded',
          redis: 'down',
        });
        expect(violationsOf([res])).toEqual([]);
      }
      // The worker cannot work without Redis: it says so (within a few probes).
      let worker = 0;
      for (let i = 0; i < 20 && worker !== 503; i++) {
        worker = await workerReadiness();
        if (worker !== 503) await sleep(500);
      }
      expect(worker).toBe(503);
      // Reads are still served meanwhile (the reason to stay in rotation).
      expect(await meOnBoth(h, user.token)).toEqual([200, 200]);

      // An outage of 15 s: a Redis client that backs off exponentially is by then waiting long
      // between attempts (Bull's own default waits up to 20 s), and would stay away long after
      // Redis is back. Every client here retries at least every 2 s.
      await sleep(Math.max(0, 15_000 - (Date.now() - stopped)));
      await h.redis.start();
      const back = Date.now();
      const ready = async (r: AtriumProcess): Promise<string> => {
        const res = await r.http.send({ method: 'GET', path: '/readiness' }, 5000);
        const body = JSON.parse(res.body?.toString('utf8') || '{}') as Partial<ReadinessDetails>;
        const down = Object.entries(body.checks ?? {})
          .filter(([, check]) => check.status === 'down')
          .map(([name]) => name);
        return `${r.name} ${res.status ?? res.error} ${body.status}${down.length > 0 ? ` (down: ${down.join(', ')})` : ''}`;
      };
      const states = await pollFor(
        async () => [`worker ${await workerReadiness()}`, await ready(h.a), await ready(h.b)],
        (seen) => seen.join() === 'worker 200,A 200 ready,B 200 ready',
        RECOVERY_MS,
        250,
      );
      expect(states).toEqual(['worker 200', 'A 200 ready', 'B 200 ready']);
      expect(Date.now() - back).toBeLessThan(RECOVERY_MS);
    },
  );
});
