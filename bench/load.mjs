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
  duration: job.duration,
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

const result = await autocannon(options);
process.stdout.write(
  `${JSON.stringify({
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  })}\n`,
);
