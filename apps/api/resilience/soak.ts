import { readFileSync } from 'node:fs';
import { newAccount } from '../test/support/factories';
import { type Account, Atrium, type AtriumProcess, type Session } from './harness/atrium';
import type { Outcome, RequestSpec } from './harness/http';
import { openLoop, percentile } from './harness/load';
import { sleep } from './harness/wait';

/**
 * `npm run soak`: steady mixed load against two API replicas and a worker (the suite's harness,
 * services mode) for SOAK_SECONDS (default 600) at SOAK_RATE requests per second (default 30),
 * spread round-robin over the replicas as a load balancer would. Passes when no answer was a 5xx,
 * each replica's RSS at the end is at most 10 % above its RSS after the warm-up, the Postgres
 * sessions fall back once the pools go idle, and the Redis clients did not grow. Prints a table
 * per minute and a summary.
 */
const SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const RATE = Number(process.env.SOAK_RATE ?? 30);
/** Memory and connections are compared from the end of the warm-up (pools filled, code warmed). */
const WARMUP_SECONDS = Number(
  process.env.SOAK_WARMUP_SECONDS ?? (SECONDS >= 300 ? 60 : Math.max(15, Math.round(SECONDS / 4))),
);
const WINDOW_SECONDS = Number(process.env.SOAK_WINDOW_SECONDS ?? (SECONDS >= 300 ? 60 : 20));
const RSS_TOLERANCE = 0.1;
/** Pause after the load before the last count of connections (longer than the pools' idle timeout). */
const SETTLE_SECONDS = 35;

const out = (line = ''): void => void process.stdout.write(`${line}\n`);

/** Resident set size of a process in MB (Linux /proc). */
function rssMb(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
}

interface Sample {
  at: number;
  rss: number[];
  postgres: number;
  redis: number;
}

const pad = (value: string | number, width: number): string => String(value).padStart(width);

describe('soak', () => {
  let h: Atrium | undefined;

  afterAll(async () => {
    await h?.stop();
  }, 120_000);

  it(
    `${SECONDS} s of mixed load at ${RATE} req/s: no 5xx, flat memory and connections`,
    async () => {
      h = await Atrium.start({ name: 'soak' });
      const atrium = h;
      const replicas: AtriumProcess[] = atrium.replicas;
      const admin = await atrium.signedIn({ roles: ['admin'] });
      const members: Array<Account & Session> = [];
      for (let i = 0; i < 12; i++) members.push(await atrium.signedIn());

      const sample = async (): Promise<Sample> => ({
        at: Date.now(),
        rss: replicas.map((r) => rssMb(r.pid)),
        postgres: await atrium.postgres.connectionCount(),
        redis: await atrium.redis.connectedClients(),
      });

      let signUps = 0;
      const next = (i: number): RequestSpec => {
        const member = members[i % members.length];
        const roll = i % 20;
        if (roll < 4) return { method: 'GET', path: '/api/v1/auth/me', token: member.token, label: 'me' };
        if (roll < 7) return { method: 'GET', path: '/api/v1/info', label: 'info' };
        if (roll < 9) return { method: 'GET', path: `/api/v1/profiles/${member.username}`, label: 'profile' };
        if (roll < 11) return { method: 'GET', path: '/api/v1/users?perPage=10', token: admin.token, label: 'users' };
        if (roll < 14) {
          return {
            method: 'POST',
            path: '/api/v1/auth/login',
            body: { login: member.username, password: member.password },
            label: 'sign-in',
          };
        }
        if (roll < 16) {
          signUps += 1;
          const account = newAccount({ username: `soak-${signUps}-${Date.now().toString(36)}` });
          return { method: 'POST', path: '/api/v1/auth/register', body: account, label: 'sign-up' };
        }
        return {
          method: 'PATCH',
          path: '/api/v1/me',
          token: member.token,
          body: { bio: `soak ${i}` },
          label: 'profile-update',
        };
      };

      const start = await sample();
      const samples: Sample[] = [start];
      let afterWarmup: Sample | undefined;
      let stopSampling = false;
      const sampler = (async () => {
        while (!stopSampling) {
          await sleep(5000);
          if (stopSampling) break;
          const s = await sample();
          samples.push(s);
          if (!afterWarmup && s.at - start.at >= WARMUP_SECONDS * 1000) afterWarmup = s;
        }
      })();

      out(`\nsoak: ${SECONDS} s at ${RATE} req/s over ${replicas.length} replicas (warm-up ${WARMUP_SECONDS} s)`);
      const began = Date.now();
      let result: Awaited<ReturnType<typeof openLoop>>;
      try {
        result = await openLoop({
          ratePerSecond: RATE,
          durationMs: SECONDS * 1000,
          maxInFlight: 200,
          next: async (i) => {
            const outcome: Outcome = await replicas[i % replicas.length].http.send(next(i), 30_000);
            delete outcome.body;
            return outcome;
          },
        });
      } finally {
        stopSampling = true;
        await sampler;
      }
      const loadSeconds = (Date.now() - began) / 1000;
      const end = await sample();
      samples.push(end);
      const warm = afterWarmup ?? samples[Math.min(1, samples.length - 1)];
      const outcomes = result.outcomes;
      // Idle pools close their connections after 30 s (DB idle timeout): what is left then is in use
      // or leaked.
      await sleep(SETTLE_SECONDS * 1000);
      const settled = await sample();

      // Per window: requests, answers by class, latency, and the resources at the window's end.
      out('');
      out(
        `${pad('window', 9)} ${pad('requests', 8)} ${pad('2xx', 6)} ${pad('4xx', 5)} ${pad('5xx', 4)} ${pad('errors', 6)} ${pad('p50 ms', 7)} ${pad('p95 ms', 7)} ${replicas.map((r) => pad(`RSS ${r.name} MB`, 9)).join(' ')} ${pad('pg conns', 8)} ${pad('redis cl', 8)}`,
      );
      for (let from = 0; from < SECONDS; from += WINDOW_SECONDS) {
        const inWindow = outcomes.filter(
          (o) => o.start - began >= from * 1000 && o.start - began < (from + WINDOW_SECONDS) * 1000,
        );
        const at = samples.filter((s) => s.at - began <= (from + WINDOW_SECONDS) * 1000).at(-1) ?? start;
        const count = (test: (o: Outcome) => boolean): number => inWindow.filter(test).length;
        const ms = inWindow.map((o) => o.ms);
        out(
          `${pad(`${from}-${from + WINDOW_SECONDS}s`, 9)} ${pad(inWindow.length, 8)} ${pad(
            count((o) => (o.status ?? 0) >= 200 && (o.status ?? 0) < 300),
            6,
          )} ${pad(
            count((o) => (o.status ?? 0) >= 400 && (o.status ?? 0) < 500),
            5,
          )} ${pad(
            count((o) => (o.status ?? 0) >= 500),
            4,
          )} ${pad(
            count((o) => o.error !== undefined),
            6,
          )} ${pad(Math.round(percentile(ms, 50)), 7)} ${pad(Math.round(percentile(ms, 95)), 7)} ${at.rss.map((r) => pad(r.toFixed(0), 9)).join(' ')} ${pad(at.postgres, 8)} ${pad(at.redis, 8)}`,
        );
      }

      const byLabel = new Map<string, Outcome[]>();
      for (const o of outcomes) byLabel.set(o.label, [...(byLabel.get(o.label) ?? []), o]);
      out('');
      out(`${'request'.padEnd(15)} ${pad('count', 6)} ${pad('non-2xx', 7)} ${pad('p50 ms', 7)} ${pad('p95 ms', 7)}`);
      for (const [label, list] of [...byLabel].sort()) {
        const ms = list.map((o) => o.ms);
        const bad = list.filter((o) => o.error !== undefined || (o.status ?? 0) < 200 || (o.status ?? 0) >= 300);
        out(
          `${label.padEnd(15)} ${pad(list.length, 6)} ${pad(bad.length, 7)} ${pad(Math.round(percentile(ms, 50)), 7)} ${pad(Math.round(percentile(ms, 95)), 7)}`,
        );
      }

      const fiveXx = outcomes.filter((o) => (o.status ?? 0) >= 500);
      const errors = outcomes.filter((o) => o.error !== undefined);
      const violations = outcomes.filter((o) => o.violations.length > 0);
      // RSS moves with the garbage collector: the medians of the samples of the minute after the
      // warm-up and of the last minute are compared, and only growth counts against the bound.
      const windowMs = Math.min(60, SECONDS / 6) * 1000;
      const medianRss = (from: number, to: number, i: number): number =>
        percentile(
          samples.filter((x) => x.at >= from && x.at <= to).map((x) => x.rss[i]),
          50,
        );
      const rssAfterWarmup = replicas.map((_, i) => medianRss(warm.at, warm.at + windowMs, i));
      const rssAtEnd = replicas.map((_, i) => medianRss(end.at - windowMs, end.at, i));
      const rssGrowth = replicas.map((_, i) => (rssAtEnd[i] - rssAfterWarmup[i]) / rssAfterWarmup[i]);
      const checks: Array<[string, boolean, string]> = [
        ['no 5xx', fiveXx.length === 0, `${fiveXx.length} of ${outcomes.length}`],
        ['every request answered', errors.length === 0, `${errors.length} network errors`],
        ...replicas.map((r, i): [string, boolean, string] => [
          `RSS of ${r.name} within +10 %`,
          rssGrowth[i] <= RSS_TOLERANCE,
          `median ${rssAfterWarmup[i].toFixed(0)} MB after warm-up → ${rssAtEnd[i].toFixed(0)} MB at the end (${(rssGrowth[i] * 100).toFixed(1)} %; samples ${warm.rss[i].toFixed(0)} → ${end.rss[i].toFixed(0)} MB)`,
        ]),
        [
          'Postgres sessions back down',
          settled.postgres <= Math.max(start.postgres, warm.postgres),
          `${start.postgres} before the load, ${warm.postgres} after warm-up, ${Math.max(...samples.map((x) => x.postgres))} at most, ${end.postgres} at the end, ${settled.postgres} ${SETTLE_SECONDS} s later`,
        ],
        [
          'Redis clients not growing',
          end.redis <= warm.redis && settled.redis <= warm.redis,
          `${start.redis} before the load, ${warm.redis} after warm-up, ${Math.max(...samples.map((x) => x.redis))} at most, ${end.redis} at the end, ${settled.redis} ${SETTLE_SECONDS} s later`,
        ],
      ];
      out('');
      out(
        `sent ${outcomes.length} requests in ${loadSeconds.toFixed(0)} s (${result.delayedStarts} started late), ${violations.length} answers outside the committed spec`,
      );
      for (const [name, ok, detail] of checks) out(`${ok ? 'PASS' : 'FAIL'}  ${name.padEnd(32)} ${detail}`);
      out('');
      expect(checks.filter(([, ok]) => !ok).map(([name, , detail]) => `${name}: ${detail}`)).toEqual([]);
    },
    (SECONDS + SETTLE_SECONDS + 300) * 1000,
  );
});
