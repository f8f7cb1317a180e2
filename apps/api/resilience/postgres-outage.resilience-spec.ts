import { describeOutcome, type Outcome, type RequestSpec } from './harness/http';
import { violationsOf } from './harness/load';
import { scenario, useAtrium } from './harness/scenario';
import { pollFor, sleep } from './harness/wait';

/** Finding 11 of issue 10: a Postgres restart answers 503 with Retry-After, never 500, and recovers by itself. */
describe('Postgres outage', () => {
  const atrium = useAtrium({ name: 'postgres-outage' });

  scenario(
    'finding 11: while Postgres restarts, routes that need it answer 503 SERVICE_UNAVAILABLE with Retry-After (never 500); afterwards 2xx within 5 s, no API restart',
    atrium,
    async (h) => {
      const OUTAGE_MS = 3000;
      const admin = await h.signedIn({ roles: ['admin'] });
      const member = await h.account();
      const user = await h.signedIn();
      // Routes that cannot answer without the database, and one that may (from what it has cached).
      const needsDatabase: RequestSpec[] = [
        { method: 'GET', path: '/api/v1/users?perPage=5', token: admin.token, label: 'users' },
        {
          method: 'POST',
          path: '/api/v1/auth/login',
          body: { login: member.username, password: member.password },
          label: 'login',
        },
      ];
      const mayBeCached: RequestSpec = { method: 'GET', path: '/api/v1/auth/me', token: user.token, label: 'me' };
      for (const replica of [h.a, h.b]) {
        for (const spec of needsDatabase) expect((await replica.http.call(spec)).status).toBe(200);
      }
      const pids = [h.a.pid, h.b.pid];

      await h.postgres.stop('fast');
      const downAt = Date.now();
      const during: Outcome[] = [];
      while (Date.now() - downAt < OUTAGE_MS) {
        const round = await Promise.all(
          [h.a, h.b].flatMap((r) => [...needsDatabase, mayBeCached].map((spec) => r.http.send(spec, 20_000))),
        );
        during.push(...round);
        await sleep(250);
      }
      await h.postgres.start();
      const upAt = Date.now();

      // Recovery: the same routes answer 2xx again, on both replicas, by themselves.
      const probe = async (): Promise<Outcome[]> =>
        Promise.all([h.a, h.b].flatMap((r) => needsDatabase.map((spec) => r.http.send(spec, 10_000))));
      const after = await pollFor(probe, (round) => round.every((o) => o.status === 200), 10_000, 200);
      const recoveryMs = Date.now() - upAt;

      const unavailable = (o: Outcome): boolean =>
        o.status === 503 && o.code === 'SERVICE_UNAVAILABLE' && Number(o.headers?.['retry-after']) > 0;
      const problems = [
        ...during
          .filter((o) => o.label !== 'me' && !unavailable(o))
          .map((o) => `want 503 SERVICE_UNAVAILABLE with Retry-After: ${describeOutcome(o)}`),
        ...during
          .filter((o) => o.label === 'me' && o.status !== 200 && !unavailable(o))
          .map((o) => `want 200, or 503 SERVICE_UNAVAILABLE with Retry-After: ${describeOutcome(o)}`),
        ...during.filter((o) => o.ms > 5000).map((o) => `slower than 5 s during the outage: ${describeOutcome(o)}`),
        ...after
          .filter((o) => o.status !== 200)
          .map((o) => `not recovered 10 s after Postgres returned: ${describeOutcome(o)}`),
        ...(recoveryMs <= 5000 ? [] : [`recovered only after ${recoveryMs} ms (want ≤ 5 s)`]),
        ...violationsOf([...during, ...after]),
      ];
      expect({ problems: problems.slice(0, 12), count: problems.length }).toEqual({ problems: [], count: 0 });
      expect(during.filter((o) => o.label !== 'me').length).toBeGreaterThanOrEqual(8);
      // Nobody restarted the API.
      expect([h.a.pid, h.b.pid]).toEqual(pids);
      expect([h.a.process.starts, h.b.process.starts]).toEqual([1, 1]);
    },
  );
});
