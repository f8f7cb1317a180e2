// One autocannon run, in a child process the harness pins to its own core (`taskset -c 1`).
// Input: a JSON job in argv[2]; output: one JSON line with the measurements on stdout.
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';

const job = JSON.parse(process.argv[2]);
const bodies = job.bodies ?? null;
let next = 0;

const options = {
  url: job.url,
  method: job.method ?? 'GET',
  headers: { 'user-agent': 'atrium-bench', ...job.headers },
  connections: job.connections,
  // A number of requests (the smoke's), else a duration.
  ...(job.amount ? { amount: job.amount } : { duration: job.duration }),
  timeout: 10,
  ...(job.searchFor
    ? {
        // The same search each time plus an excluded word of its own: the same work, never a cache hit.
        requests: [
          {
            setupRequest: (request) => ({
              ...request,
              path: `${job.path}?q=${encodeURIComponent(`${job.searchFor} -zq${randomUUID().slice(0, 8)}`)}`,
            }),
          },
        ],
      }
    : job.cursorAt
      ? {
          // A keyset cursor of its own per request: the same page's work, never a cache hit (feed-db, feed-deep).
          requests: [
            {
              setupRequest: (request) => ({
                ...request,
                path: `${job.path}?cursor=${Buffer.from(JSON.stringify({ publishedAt: job.cursorAt, id: randomUUID() })).toString('base64url')}`,
              }),
            },
          ],
        }
      : job.threadCursor
        ? {
            // A cursor of its own before every comment (an id of zeros precedes every UUIDv7): the
            // first page's work read from Postgres, never the kept first page (comments-thread-db).
            requests: [
              {
                setupRequest: (request) => ({
                  ...request,
                  path: `${job.path}?cursor=${Buffer.from(JSON.stringify({ id: `00000000-0000-4000-8000-${randomUUID().slice(-12)}` })).toString('base64url')}`,
                }),
              },
            ],
          }
        : bodies
          ? {
              // A different body per request (login: a different account each time, round robin).
              requests: [
                {
                  setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] }),
                },
              ],
            }
          : job.body
            ? { body: job.body }
            : {}),
};

// Every answer's latency, for the percentiles autocannon does not give (it has p90 and p97.5, no p95).
const latencies = [];
const instance = autocannon(options);
instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
const result = await instance;
latencies.sort((a, b) => a - b);
/** The nearest-rank percentile of the recorded latencies, in ms to 0.1. */
const percentile = (p) =>
  latencies.length === 0 ? null : Math.round(latencies[Math.ceil((p / 100) * latencies.length) - 1] * 10) / 10;
process.stdout.write(
  `${JSON.stringify({
    rps: result.requests.average,
    p50: result.latency.p50,
    p95: percentile(95),
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  })}\n`,
);
