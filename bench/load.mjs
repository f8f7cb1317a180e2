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

// The warm-up, not measured: the load generator's code and the server's warmed on the same requests.
if (job.warmup > 0) await autocannon({ ...options, amount: undefined, duration: job.warmup });
process.stdout.write('measuring\n');
// Every answer's latency (autocannon keeps percentiles of whole milliseconds, and no p95).
const latencies = [];
const instance = autocannon(options);
instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
const result = await instance;
// Every latency to 0.01 ms: the harness takes the percentiles over all of a server's rounds (bench/rounds.mjs).
process.stdout.write(
  `${JSON.stringify({
    seconds: result.duration,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    latencies: latencies.map((ms) => Math.round(ms * 100) / 100),
  })}\n`,
);
