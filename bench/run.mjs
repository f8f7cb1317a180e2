// `npm run bench`: Atrium against a raw reference server (bench/reference/server.mjs), scenario by
// scenario, on this machine's Postgres and Redis. See bench/README.md.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SCENARIO_NAMES = [
  'health',
  'profile',
  'me',
  'users-admin',
  'feed-cached',
  'feed-db',
  'feed-deep',
  'search-common',
  'search-rare',
  'post-by-slug',
  'comments-thread',
  // Writes last but for login: each approved comment drops Atrium's public caches.
  'comment-write',
  'login',
];

const { values: flags } = parseArgs({
  options: {
    posts: { type: 'string', default: '100000' },
    reuse: { type: 'boolean', default: false },
    duration: { type: 'string', default: '15' },
    warmup: { type: 'string' },
    connections: { type: 'string', default: '50' },
    'login-connections': { type: 'string', default: '10' },
    scenarios: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (flags.help) {
  console.log(`npm run bench -- [--posts N] [--reuse] [--duration S] [--warmup S] [--connections C]
                      [--login-connections C] [--scenarios ${SCENARIO_NAMES.join(',')}]`);
  process.exit(0);
}
const posts = Number(flags.posts);
const duration = Number(flags.duration);
const warmup = Number(flags.warmup ?? Math.min(5, Math.max(1, Math.round(duration / 3))));
const connections = Number(flags.connections);
const loginConnections = Number(flags['login-connections']);
// Always in SCENARIO_NAMES order: comment-write must not drop the caches the reads before it measure.
const asked = flags.scenarios ? flags.scenarios.split(',').map((s) => s.trim()) : SCENARIO_NAMES;
const chosen = SCENARIO_NAMES.filter((name) => asked.includes(name));
for (const name of asked.filter((n) => !SCENARIO_NAMES.includes(n))) {
  console.error(`Unknown scenario "${name}"; known: ${SCENARIO_NAMES.join(', ')}`);
  process.exit(2);
}

const PG_ADMIN = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = 'atrium_bench';
const databaseUrl = Object.assign(new URL(PG_ADMIN), { pathname: `/${DB_NAME}` }).toString();
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisPrefix = `atrium-bench-${randomBytes(4).toString('hex')}:`;
const refPrefix = `${redisPrefix}ref:`;
const API_PORT = Number(process.env.BENCH_API_PORT ?? 3910);
const WORKER_PORT = API_PORT + 1;
const REF_PORT = API_PORT + 2;
const ADMIN = { email: 'bench-admin@bench.example.com', password: `bench ${randomBytes(12).toString('base64url')}` };
const dataDir = mkdtempSync(join(tmpdir(), 'atrium-bench-'));
const secrets = {
  JWT_ACCESS_SECRET: randomBytes(48).toString('base64url'),
  DATA_ENCRYPTION_KEY: randomBytes(48).toString('base64url'),
};

const children = new Set();
const log = (line) => console.error(`[bench] ${line}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function cli(args) {
  const run = spawnSync(process.execPath, [join(root, 'apps/api/dist/database/cli.js'), ...args], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, ...secrets },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`cli ${args.join(' ')} failed:\n${run.stdout}\n${run.stderr}`);
  return run.stdout;
}

async function prepareDatabase() {
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  try {
    if (flags.reuse) {
      const { rows } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME]);
      if (rows.length > 0) {
        const db = new pg.Client({ connectionString: databaseUrl });
        await db.connect();
        try {
          const count = await db.query('SELECT count(*)::int AS n FROM posts').catch(() => null);
          if (count && count.rows[0].n > 0) {
            log(`reusing ${DB_NAME} (${count.rows[0].n} posts)`);
            cli(['migrate']);
            return null;
          }
        } finally {
          await db.end();
        }
      }
    }
    log(`creating ${DB_NAME}`);
    await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${DB_NAME}`);
  } finally {
    await admin.end();
  }
  cli(['migrate']);
  log(`seeding ${posts} posts`);
  const started = Date.now();
  const out = cli(['seed', '--posts', String(posts)]);
  log(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return /password "([^"]+)"/.exec(out)?.[1] ?? null;
}

function start(name, script, env) {
  const child = spawn('taskset', ['-c', '0', process.execPath, script], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + String(chunk)).slice(-4000);
  });
  child.on('exit', (code, signal) => {
    children.delete(child);
    if (!stopping) log(`${name} exited (${code ?? signal}) ${stderr}`);
  });
  children.add(child);
  child.label = name;
  return child;
}

let stopping = false;
async function stopAll() {
  stopping = true;
  const exits = [...children].map(
    (child) =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
        setTimeout(() => {
          if (children.has(child)) child.kill('SIGKILL');
        }, 10_000).unref();
      }),
  );
  await Promise.all(exits);
}

async function waitFor(url, ms = 60_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not yet */
    }
    await sleep(250);
  }
  throw new Error(`${url} did not answer within ${ms / 1000} s`);
}

async function json(url, init) {
  const res = await fetch(url, init);
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** Peak RSS of a process: sampled VmRSS while a run lasts, and VmHWM (the kernel's high-water mark). */
function rssOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch {
    return { rss: 0, hwm: 0 };
  }
}

function load(job) {
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', ['-c', '1', process.execPath, join(root, 'bench/load.mjs'), JSON.stringify(job)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.add(child);
    let out = '';
    child.stdout.on('data', (chunk) => (out += String(chunk)));
    child.on('exit', (code) => {
      children.delete(child);
      if (code !== 0) reject(new Error(`load generator exited ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').pop()));
    });
  });
}

/** 200 approved comments on the post: 40 top-level ones by seeded accounts, each with 4 replies. */
async function addThread(db, postSlug) {
  const { rows } = await db.query(
    `SELECT p.id, (SELECT count(*)::int FROM comments c WHERE c.post_id = p.id) AS n FROM posts p WHERE p.slug = $1`,
    [postSlug],
  );
  if (rows[0].n >= 200) return;
  await db.query(
    `WITH people AS (SELECT array_agg(id ORDER BY username) AS ids FROM users WHERE username LIKE 'seed\\_%'),
          roots AS (
       INSERT INTO comments (id, post_id, author_id, root_id, depth, body_markdown, body_html, status, created_at)
       SELECT r.id, $1, people.ids[1 + r.i % array_length(people.ids, 1)], r.id, 0,
              'Thread ' || i || ': the harbour was calm today.', '<p>Thread ' || i || ': the harbour was calm today.</p>',
              'approved', now() - (200 - i) * interval '1 minute'
         FROM people, (SELECT gen_random_uuid() AS id, i FROM generate_series(1, 40) AS i) AS r
       RETURNING id, created_at)
     INSERT INTO comments (id, post_id, author_id, parent_id, root_id, depth, body_markdown, body_html, status, created_at)
     SELECT gen_random_uuid(), $1, people.ids[1 + k * 7 % array_length(people.ids, 1)], roots.id, roots.id, 1,
            'A reply, number ' || k || '.', '<p>A reply, number ' || k || '.</p>', 'approved', roots.created_at + k * interval '1 second'
       FROM people, roots, generate_series(1, 4) AS k`,
    [rows[0].id],
  );
  await db.query(
    `UPDATE posts SET comment_count = (SELECT count(*) FROM comments WHERE post_id = $1 AND status = 'approved' AND deleted_at IS NULL) WHERE id = $1`,
    [rows[0].id],
  );
}

const cursorFor = (publishedAt) => Buffer.from(JSON.stringify({ publishedAt, id: randomUUID() })).toString('base64url');

/** The keys of a JSON value, recursively (values of arrays merged), to compare two answers' shapes. */
function shapeOf(value, path = '') {
  if (Array.isArray(value))
    return value.length === 0 ? [`${path}[]`] : [...new Set(value.flatMap((v) => shapeOf(v, `${path}[]`)))];
  if (value && typeof value === 'object') {
    return Object.keys(value).flatMap((k) => [`${path}.${k}`, ...shapeOf(value[k], `${path}.${k}`)]);
  }
  return [];
}

async function main() {
  const password = await prepareDatabase();
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const redis = new Redis(redisUrl);
  try {
    const readers = (
      await db.query(
        `SELECT u.username FROM users u
          WHERE u.username LIKE 'seed\\_%' AND u.deleted_at IS NULL AND u.is_active AND u.totp_enabled_at IS NULL
          ORDER BY u.username LIMIT 50`,
      )
    ).rows.map((r) => r.username);
    if (readers.length === 0) throw new Error(`${DB_NAME} has no seeded accounts: run without --reuse`);
    const seededPassword = password ?? 'seeded harbour lantern 42';
    const { rows: slugRows } = await db.query(
      `SELECT id, slug, title FROM posts WHERE status = 'published' AND visibility = 'public' AND deleted_at IS NULL
        ORDER BY published_at DESC LIMIT 3 OFFSET 10`,
    );
    const slug = slugRows[0]?.slug;
    // comments-thread: another post, given 200 comments (40 threads of a comment and 4 replies) once.
    const threadSlug = slugRows[1]?.slug;
    await addThread(db, threadSlug);
    // comment-write: a third post, so the comments written never change the thread read above.
    const writeSlug = slugRows[2]?.slug;
    const writeId = slugRows[2]?.id;
    const title = slugRows[0]?.title;
    // feed-db: the first page's position (just after the newest post); feed-deep: 90 % down the public feed.
    const { rows: feedRows } = await db.query(
      `SELECT (max(published_at) + interval '1 second') AS top, count(*)::int AS n FROM posts
        WHERE status = 'published' AND visibility = 'public' AND deleted_at IS NULL`,
    );
    const { rows: deepRows } = await db.query(
      `SELECT published_at FROM posts WHERE status = 'published' AND visibility = 'public' AND deleted_at IS NULL
        ORDER BY published_at DESC, id DESC OFFSET $1 LIMIT 1`,
      [Math.floor(feedRows[0].n * 0.9)],
    );
    if (!slug) throw new Error('no published public post to read');

    const common = {
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: redisPrefix,
      // The API and the worker must agree on it: the worker's mails link into it.
      APP_URL: `http://localhost:${API_PORT}`,
      ...secrets,
    };
    log('starting the API, the worker and the reference server (each pinned to core 0)');
    const api = start('api', join(root, 'apps/api/dist/main.js'), {
      ...common,
      PORT: String(API_PORT),
      WORKER_PORT: String(WORKER_PORT),
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      SERVE_SPA: 'false',
      // Every request of the benchmark comes from one address: the per-client limits would answer 429/423.
      THROTTLE_LIMIT: '1000000',
      AUTH_THROTTLE_LIMIT: '1000000',
      LOCKOUT_THRESHOLD: '1000',
      // The tokens the harness signs in for last the whole run (15 min would not, with longer --duration).
      JWT_ACCESS_TTL: '86400',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      SHUTDOWN_DRAIN_MS: '0',
    });
    await waitFor(`http://127.0.0.1:${API_PORT}/health`);
    // The worker after the API: the API's start-up creates the first admin, and only one process should.
    start('worker', join(root, 'apps/api/dist/worker.js'), {
      ...common,
      WORKER_PORT: String(WORKER_PORT),
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
    });
    const ref = start('reference', join(root, 'bench/reference/server.mjs'), {
      ...common,
      PORT: String(REF_PORT),
      REF_PREFIX: refPrefix,
    });
    await waitFor(`http://127.0.0.1:${REF_PORT}/health`);
    await waitFor(`http://127.0.0.1:${WORKER_PORT}/health`).catch((e) => log(`worker: ${e.message}`));

    const A = `http://127.0.0.1:${API_PORT}`;
    const R = `http://127.0.0.1:${REF_PORT}`;
    const signIn = await json(`${A}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: readers[0], password: seededPassword }),
    });
    const bearer = { authorization: `Bearer ${signIn.data.accessToken}` };
    // The admin the API created at start-up (or an earlier run, with --reuse) signs in like the seeded accounts.
    await db.query(
      `UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE username = $1) WHERE email_normalized = $2`,
      [readers[0], ADMIN.email],
    );
    const adminSignIn = await json(`${A}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: ADMIN.email, password: seededPassword }),
    });
    const adminBearer = { authorization: `Bearer ${adminSignIn.data.accessToken}` };
    // The reference serves the public caches only from Redis: primed with Atrium's own answers.
    const feed = await json(`${A}/api/v1/posts`);
    const { requestId: _r, timestamp: _t, ...feedMeta } = feed.meta;
    await redis.set(`${refPrefix}list:`, JSON.stringify({ items: feed.data, meta: feedMeta }));
    for (const s of [slug, threadSlug, writeSlug]) {
      const post = await json(`${A}/api/v1/posts/${s}`);
      // By slug and by id, as Atrium's cache answers either.
      await redis.set(`${refPrefix}post:${s}`, JSON.stringify(post.data));
      await redis.set(`${refPrefix}post:${post.data.id}`, JSON.stringify(post.data));
    }

    const loginBodies = readers.map((login) => JSON.stringify({ login, password: seededPassword }));
    const scenarios = {
      health: { path: '/health' },
      profile: { path: `/api/v1/profiles/${readers[1] ?? readers[0]}` },
      me: { path: '/api/v1/auth/me', headers: bearer },
      'users-admin': { path: '/api/v1/users', headers: adminBearer },
      'feed-cached': { path: '/api/v1/posts' },
      'feed-db': { path: '/api/v1/posts', cursorAt: feedRows[0].top.toISOString() },
      'feed-deep': { path: '/api/v1/posts', cursorAt: deepRows[0].published_at.toISOString() },
      // A word in most posts (the newest 500 matches are ranked) and one post's title as a phrase.
      'search-common': { path: '/api/v1/posts', searchFor: 'harbour' },
      'search-rare': { path: '/api/v1/posts', searchFor: `"${title}"` },
      'comments-thread': { path: `/api/v1/posts/${threadSlug}/comments` },
      'comment-write': {
        path: `/api/v1/posts/${writeId}/comments`,
        method: 'POST',
        headers: { ...bearer, 'content-type': 'application/json' },
        body: JSON.stringify({
          body: 'A fine **day** at the harbour, said the keeper. The ferry was [on time](https://example.com).',
        }),
      },
      'post-by-slug': { path: `/api/v1/posts/${slug}` },
      login: {
        path: '/api/v1/auth/login',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        bodies: loginBodies,
        connections: loginConnections,
      },
    };

    // Both servers must give the same answer's shape before they are compared.
    const shapeWarnings = [];
    for (const name of chosen) {
      const s = scenarios[name];
      const init = { method: s.method ?? 'GET', headers: s.headers, body: s.body ?? s.bodies?.[0] };
      const path = s.cursorAt
        ? `${s.path}?cursor=${cursorFor(s.cursorAt)}`
        : s.searchFor
          ? `${s.path}?q=${encodeURIComponent(`${s.searchFor} -zq${randomUUID().slice(0, 8)}`)}`
          : s.path;
      const [a, r] = await Promise.all([fetch(A + path, init), fetch(R + path, init)]);
      const [ja, jr] = await Promise.all([a.json(), r.json()]);
      if (a.status !== r.status) {
        const answer = (j) => JSON.stringify(j.error ?? j).slice(0, 300);
        shapeWarnings.push(`${name}: status ${a.status} (${answer(ja)}) vs reference ${r.status} (${answer(jr)})`);
      }
      const sa = new Set(shapeOf(ja));
      const sr = new Set(shapeOf(jr));
      const onlyA = [...sa].filter((k) => !sr.has(k));
      const onlyR = [...sr].filter((k) => !sa.has(k));
      if (onlyA.length || onlyR.length) {
        shapeWarnings.push(`${name}: only Atrium ${onlyA.join(' ') || '-'}; only reference ${onlyR.join(' ') || '-'}`);
      }
    }
    for (const w of shapeWarnings) log(`SHAPE ${w}`);

    const results = [];
    for (const name of chosen) {
      const s = scenarios[name];
      const row = { scenario: name, connections: s.connections ?? connections };
      for (const [side, base, pid] of [
        ['atrium', A, api.pid],
        ['reference', R, ref.pid],
      ]) {
        const job = {
          url: base + s.path,
          method: s.method,
          headers: s.headers,
          body: s.body,
          bodies: s.bodies,
          path: s.path,
          cursorAt: s.cursorAt,
          searchFor: s.searchFor,
          connections: s.connections ?? connections,
        };
        log(`${name} · ${side}: warm-up ${warmup} s, then ${job.connections} connections × ${duration} s`);
        await load({ ...job, duration: warmup });
        let peak = 0;
        const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid).rss)), 200);
        const measured = await load({ ...job, duration });
        clearInterval(sampler);
        row[side] = { ...measured, peakRssMb: Math.round(Math.max(peak, rssOf(pid).rss)) };
      }
      row.ratio = row.reference.rps > 0 ? row.atrium.rps / row.reference.rps : null;
      results.push(row);
    }

    const apiPeak = Math.round(rssOf(api.pid).hwm);
    report(results, apiPeak, shapeWarnings);
  } finally {
    redis.disconnect();
    await cleanUp();
    await db.end();
  }
}

let cleaning;
/** Stops every process of the run and deletes its Redis keys and its data directory (once). */
function cleanUp() {
  cleaning ??= removeEverything();
  return cleaning;
}

async function removeEverything() {
  await stopAll();
  // Every key of this run (Atrium's and the reference's) goes with it.
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${redisPrefix}*`, 'COUNT', 1000);
      cursor = nextCursor;
      if (keys.length) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  rmSync(dataDir, { recursive: true, force: true });
}

function report(results, apiPeak, shapeWarnings) {
  const fmt = (n, d = 0) => (n === null || n === undefined ? '—' : n.toFixed(d));
  const lines = [
    `| scenario | conns | Atrium req/s | ref req/s | ratio | Atrium p50 / p99 ms | ref p50 / p99 ms | non-2xx A / R | errors A / R | API peak RSS MB |`,
    `|---|---|---|---|---|---|---|---|---|---|`,
  ];
  for (const r of results) {
    const a = r.atrium;
    const f = r.reference;
    lines.push(
      `| ${r.scenario} | ${r.connections} | ${fmt(a.rps)} | ${fmt(f.rps)} | ${fmt(r.ratio, 2)} | ${a.p50} / ${a.p99} | ${f.p50} / ${f.p99} | ${a.non2xx} / ${f.non2xx} | ${a.errors + a.timeouts} / ${f.errors + f.timeouts} | ${a.peakRssMb} |`,
    );
  }
  console.log(lines.join('\n'));
  console.log(`\nAPI peak RSS over the run (VmHWM): ${apiPeak} MB.`);
  const out = {
    at: new Date().toISOString(),
    machine: { cpus: spawnSync('nproc', { encoding: 'utf8' }).stdout.trim(), node: process.version },
    options: { posts, reuse: flags.reuse, duration, warmup, connections, loginConnections },
    apiPeakRssMb: apiPeak,
    shapeWarnings,
    scenarios: results,
  };
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, 'bench/results/latest.json'), `${JSON.stringify(out, null, 2)}\n`);
  log('wrote bench/results/latest.json');
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: stopping the servers`);
    void cleanUp().then(
      () => process.exit(130),
      () => process.exit(130),
    );
  });
}

main().then(
  () => process.exit(0),
  async (error) => {
    if (!interrupted) console.error(error);
    await cleanUp().catch(() => undefined);
    process.exit(interrupted ? 130 : 1);
  },
);
