// `npm run bench`: Atrium against a raw reference server (bench/reference/server.mjs), scenario by
// scenario, on this machine's Postgres and Redis. See bench/README.md.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { alternatedRounds, combineRounds } from './rounds.mjs';
import { beside } from './verdict.mjs';

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
  'comments-thread-db',
  // Writes last but for login: each approved comment drops Atrium's public caches.
  'comment-write',
  'login',
];

// Also measured against the embedded mode (PGlite in process, in-memory cache), as a newcomer runs it.
const EMBEDDED_SCENARIOS = ['profile', 'me', 'feed-db'];
// `--scale`: Atrium alone at two database sizes, one client and many.
const SCALE_SCENARIOS = ['feed-db', 'feed-deep', 'post-by-slug', 'search-common', 'search-rare'];
/** A scale size by its post count: 10000 is `10k` in `atrium_scale_10k`, 1000000 `1M` in `atrium_scale_1m`. */
function scaleSize(posts) {
  const label = posts >= 1e6 ? `${posts / 1e6}M` : posts >= 1e3 ? `${posts / 1e3}k` : String(posts);
  return { label, posts, db: `atrium_scale_${label.toLowerCase().replace('.', '_')}` };
}

// The budgets of the issue (bench/README.md, "Budgets"): Atrium's req/s over the reference's.
const RATIO_BUDGET = {
  me: 0.7,
  profile: 0.7,
  'feed-db': 0.7,
  'post-by-slug': 0.7,
  'search-common': 0.7,
  'search-rare': 0.7,
  'users-admin': 0.7,
  'feed-cached': 0.6,
  'comments-thread': 0.6,
  'comments-thread-db': 0.6,
  'comment-write': 0.6,
  login: 0.9,
};
const P99_BUDGET = 2; // Atrium's p99 at most twice the reference's
const RSS_BUDGET_MB = { services: 250, embedded: 400 };
const SCALE_BUDGET = 1.5; // p95 at 1M posts at most 1.5 × p95 at 10k

const { values: flags } = parseArgs({
  options: {
    posts: { type: 'string' },
    reuse: { type: 'boolean', default: false },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    rounds: { type: 'string' },
    connections: { type: 'string' },
    'login-connections': { type: 'string' },
    scenarios: { type: 'string' },
    smoke: { type: 'boolean', default: false },
    scale: { type: 'boolean', default: false },
    'no-embedded': { type: 'boolean', default: false },
    'embedded-posts': { type: 'string' },
    'scale-posts': { type: 'string', default: '10000,1000000' },
    'api-node-options': { type: 'string' },
    'api-node-args': { type: 'string' },
    floor: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (flags.help) {
  console.log(`npm run bench -- [--posts N] [--reuse] [--duration S] [--rounds N] [--warmup S] [--connections C]
                      [--login-connections C] [--scenarios ${SCENARIO_NAMES.join(',')}]
                      [--no-embedded] [--embedded-posts N] [--api-node-options=--max-old-space-size=256]
                      [--api-node-args="--cpu-prof --cpu-prof-dir=/tmp/prof"] [--floor]
npm run bench -- --smoke     every scenario on both servers for 1 s, TAP out, exit 1 on any failure
npm run bench -- --scale [--scale-posts 10000,1000000]
                             ${SCALE_SCENARIOS.join(', ')} at 10k and 1M posts, p95 per size`);
  process.exit(0);
}
if (flags.smoke && flags.scale) {
  console.error('--smoke and --scale are separate runs');
  process.exit(2);
}
const smoke = flags.smoke;
const posts = Number(flags.posts ?? (smoke ? 300 : 100_000));
const duration = Number(flags.duration ?? (smoke ? 1 : 15));
// Before a server's first round; each later round starts with a second of its own.
const warmup = Number(flags.warmup ?? (smoke ? 0 : Math.min(3, Math.max(1, Math.round(duration / 5)))));
// The measured seconds of a scenario are split into alternated rounds (bench/rounds.mjs); the smoke
// asks each side once.
const rounds = Number(flags.rounds ?? (smoke ? 1 : 3));
const connections = Number(flags.connections ?? (smoke ? 2 : 50));
const loginConnections = Number(flags['login-connections'] ?? (smoke ? 2 : 10));
// The smoke asks for a number of answers, not a duration (a slow answer on a busy machine still counts),
// unless --duration is given.
const amount = smoke && flags.duration === undefined ? 10 : null;
// The smoke is about every route answering, not about speed: no embedded run there.
const embedded = !flags['no-embedded'] && !smoke && !flags.scale;
// Embedded: 10 000 posts at most (PGlite seeds about 50 posts a second on a busy machine), never more
// than the services database holds (set once it is known).
let embeddedPosts = Number(flags['embedded-posts'] ?? Math.min(10_000, posts));
// Always in SCENARIO_NAMES order: comment-write must not drop the caches the reads before it measure.
const known = flags.scale ? SCALE_SCENARIOS : SCENARIO_NAMES;
const asked = flags.scenarios ? flags.scenarios.split(',').map((s) => s.trim()) : known;
const chosen = known.filter((name) => asked.includes(name));
for (const name of asked.filter((n) => !known.includes(n))) {
  console.error(`Unknown scenario "${name}"; known${flags.scale ? ' with --scale' : ''}: ${known.join(', ')}`);
  process.exit(2);
}
for (const [name, value] of Object.entries({
  posts,
  duration,
  warmup,
  rounds,
  connections,
  loginConnections,
  embeddedPosts,
})) {
  if (!Number.isFinite(value) || value < 0 || (value === 0 && name !== 'warmup')) {
    console.error(`--${name} must be a positive number`);
    process.exit(2);
  }
}
if (!Number.isInteger(rounds)) {
  console.error('--rounds must be a whole number');
  process.exit(2);
}

const SCALE_SIZES = flags['scale-posts'].split(',').map((n) => scaleSize(Number(n)));
if (SCALE_SIZES.length !== 2 || SCALE_SIZES.some((s) => !(s.posts > 0))) {
  console.error('--scale-posts takes two post counts, the small size then the large: 10000,1000000');
  process.exit(2);
}

const PG_ADMIN = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
// The smoke has a database of its own, dropped at the end: it never touches a benchmark's data.
const DB_NAME = smoke ? 'atrium_bench_smoke' : 'atrium_bench';
const urlOf = (name) => Object.assign(new URL(PG_ADMIN), { pathname: `/${name}` }).toString();
const databaseUrl = urlOf(DB_NAME);
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisPrefix = `atrium-bench-${randomBytes(4).toString('hex')}:`;
const refPrefix = `${redisPrefix}ref:`;
// The smoke (in CI) takes free ports unless told; a run takes 3910-3913 and checks they are free.
let API_PORT = Number(process.env.BENCH_API_PORT ?? 3910);
let WORKER_PORT = API_PORT + 1;
let REF_PORT = API_PORT + 2;
let EMBEDDED_PORT = API_PORT + 3;
let FLOOR_PORT = API_PORT + 4;
const ADMIN = { email: 'bench-admin@bench.example.com', password: `bench ${randomBytes(12).toString('base64url')}` };
const dataDir = mkdtempSync(join(tmpdir(), 'atrium-bench-'));
const embeddedDir = join(dataDir, 'embedded');
const secrets = {
  JWT_ACCESS_SECRET: randomBytes(48).toString('base64url'),
  DATA_ENCRYPTION_KEY: randomBytes(48).toString('base64url'),
};

const children = new Set();
const began = Date.now();
const log = (line) => console.error(`[bench ${((Date.now() - began) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The environment without the variables that would point Atrium elsewhere (embedded mode unsets them). */
function envWithout(names) {
  const env = { ...process.env };
  for (const name of names) delete env[name];
  return env;
}
const EMBEDDED_UNSET = ['DATABASE_URL', 'REDIS_URL', 'NODE_ENV', 'REDIS_PREFIX'];

/**
 * `cli.js` on a database of Postgres (`url`), or on the embedded one under `embeddedDir` (`url`
 * null); resolves to its output. Not blocking: the embedded database seeds beside the services one.
 */
async function cli(args, url = databaseUrl) {
  const env =
    url === null
      ? { ...envWithout(EMBEDDED_UNSET), DATA_DIR: embeddedDir, LOG_LEVEL: 'warn', ...secrets }
      : { ...process.env, NODE_ENV: 'production', DATABASE_URL: url, REDIS_URL: redisUrl, ...secrets };
  const { code, stdout, stderr } = await runToEnd(
    process.execPath,
    [join(root, 'apps/api/dist/database/cli.js'), ...args],
    {
      env,
    },
  );
  if (code !== 0) throw new Error(`cli ${args.join(' ')} failed:\n${stdout}\n${stderr}`);
  return stdout;
}

/**
 * A child process of the run (stopped with the rest on failure or Ctrl-C), to its end: resolves to
 * its exit code and output. `onOutput` sees its stdout so far, each time more arrives.
 */
function runToEnd(command, args, options, onOutput = () => undefined) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, ...options });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += String(chunk);
      onOutput(stdout);
    });
    child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
    child.on('error', reject);
    child.on('close', (code) => {
      children.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Makes `name` a migrated database with seeded content and returns the seeded accounts' password
 * when it seeded (null when it kept the database). Kept when `keep(postCount)` says so.
 */
async function prepareDatabase(name, postCount, keep) {
  const url = urlOf(name);
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  try {
    const { rows } = await admin.query(
      `SELECT (SELECT count(*)::int FROM pg_stat_activity WHERE datname = $1) AS sessions
         FROM pg_database WHERE datname = $1`,
      [name],
    );
    if (rows.length > 0 && keep) {
      const db = new pg.Client({ connectionString: url });
      await db.connect();
      try {
        const count = await db.query('SELECT count(*)::int AS n FROM posts').catch(() => null);
        if (count && keep(count.rows[0].n)) {
          // An earlier run's mails and events: their queue lived under that run's Redis prefix, so
          // this run's API would hand them all over again (and its worker send them) while it is measured.
          const stale = await db.query('DELETE FROM outbox_events').catch(() => ({ rowCount: 0 }));
          log(`reusing ${name} (${count.rows[0].n} posts; ${stale.rowCount} outbox messages of earlier runs dropped)`);
          await cli(['migrate'], url);
          await tidyDatabase(db);
          return null;
        }
      } finally {
        await db.end();
      }
    }
    // Never from under someone: a seeding in progress, or another benchmark, holds a session on it.
    if (rows.length > 0 && rows[0].sessions > 0 && !smoke) {
      throw new Error(`${name} has ${rows[0].sessions} open session(s) (a seeding or a run in progress?): not dropped`);
    }
    log(`creating ${name}`);
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  await cli(['migrate'], url);
  log(
    `seeding ${postCount} posts into ${name}${postCount >= 500_000 ? ' (1M posts: 4-8 minutes on a quiet machine, over 30 on a busy one)' : ''}`,
  );
  const started = Date.now();
  const out = await cli(['seed', '--posts', String(postCount)], url);
  log(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    await tidyDatabase(db);
  } finally {
    await db.end();
  }
  return /password "([^"]+)"/.exec(out)?.[1] ?? null;
}

/** Below this share of its leaf pages filled, the feed index is rebuilt (a fresh one is ~90 % full). */
const FEED_INDEX_MIN_DENSITY = 70;

/**
 * The database as a steady site's: vacuumed and analysed, the posts' indexes rebuilt when the feed
 * index is sparse. `comment-write` updates its post once a comment, and earlier runs' comments left
 * the feed index at twice its size, until the Postgres-bound rows measured Postgres's reading of
 * dead index entries, not the servers (bench/README, "Fairness"). A fresh seed writes each post once
 * (72 % full; 44 % when the seeder still rewrote every post for its comment count). Not in the smoke.
 */
async function tidyDatabase(db) {
  if (smoke) return;
  const began = Date.now();
  await db.query('VACUUM ANALYZE');
  let density = null;
  try {
    // pgstattuple is a contrib module of Postgres: measured, then dropped again.
    await db.query('CREATE EXTENSION IF NOT EXISTS pgstattuple');
    density = (await db.query(`SELECT avg_leaf_density AS d FROM pgstatindex('posts_feed_idx')`)).rows[0].d;
    await db.query('DROP EXTENSION pgstattuple');
  } catch (error) {
    log(`the feed index's density not measured (${error.message}): not rebuilt`);
  }
  const rebuild = density !== null && density < FEED_INDEX_MIN_DENSITY;
  if (rebuild) await db.query('REINDEX TABLE posts');
  log(
    `vacuumed${density === null ? '' : `; feed index ${Math.round(density)} % full${rebuild ? ', posts reindexed' : ''}`} in ${((Date.now() - began) / 1000).toFixed(1)} s`,
  );
}

async function dropDatabase(name) {
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** The command line of a process of the run: pinned to a core, but for the smoke (which measures nothing). */
const pinned = (core, args) =>
  smoke ? [process.execPath, args] : ['taskset', ['-c', String(core), process.execPath, ...args]];

/** Node's command-line flags for every API process (not the worker or the reference): `--cpu-prof`, say. */
const apiNodeArgs = flags['api-node-args']?.split(/\s+/).filter(Boolean) ?? [];

function start(name, script, env, unset = []) {
  const nodeArgs = /(^| )api/.test(name) ? apiNodeArgs : [];
  const child = spawn(...pinned(0, [...nodeArgs, script]), {
    cwd: root,
    env: { ...envWithout(unset), ...env },
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
  await stop(...children);
}

/** Stops some of the processes this run started (SIGTERM, then SIGKILL after 10 s). */
async function stop(...some) {
  const wasStopping = stopping;
  stopping = true;
  await Promise.all(
    some.map(
      (child) =>
        new Promise((resolve) => {
          if (!children.has(child)) return resolve();
          child.once('exit', resolve);
          child.kill('SIGTERM');
          setTimeout(() => {
            if (children.has(child)) child.kill('SIGKILL');
          }, 10_000).unref();
        }),
    ),
  );
  stopping = wasStopping;
}

/** Whether nothing listens on the port yet (another API on it would be benchmarked instead). */
function portFree(port) {
  return new Promise((resolve) => {
    const server = createServer()
      .once('error', () => resolve(false))
      .listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function choosePorts() {
  if (smoke && !process.env.BENCH_API_PORT) {
    [API_PORT, WORKER_PORT, REF_PORT, EMBEDDED_PORT] = [await freePort(), await freePort(), await freePort(), 0];
    while (new Set([API_PORT, WORKER_PORT, REF_PORT]).size < 3) REF_PORT = await freePort();
    FLOOR_PORT = await freePort();
    while (new Set([API_PORT, WORKER_PORT, REF_PORT, FLOOR_PORT]).size < 4) FLOOR_PORT = await freePort();
    return;
  }
  for (const port of [API_PORT, WORKER_PORT, REF_PORT, EMBEDDED_PORT, ...(flags.floor ? [FLOOR_PORT] : [])]) {
    if (!(await portFree(port))) {
      throw new Error(`port ${port} is taken (another benchmark?): set BENCH_API_PORT to a free range of five`);
    }
  }
}

async function waitFor(url, ms = 180_000) {
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

/** CPU time a process has used so far (user + system), in ms. */
function cpuMsOf(pid) {
  try {
    // Fields 14 and 15 of /proc/<pid>/stat (after the command name in parentheses), in clock ticks.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

async function load(job, onMeasuring) {
  let measuring = false;
  const { code, stdout } = await runToEnd(
    ...pinned(1, [join(root, 'bench/load.mjs'), JSON.stringify(job)]),
    { stdio: ['ignore', 'pipe', 'inherit'] },
    (out) => {
      // load.mjs says "measuring" when its warm-up is over and the measured run begins.
      if (!measuring && out.startsWith('measuring\n')) {
        measuring = true;
        onMeasuring();
      }
    },
  );
  if (code !== 0) throw new Error(`load generator exited ${code}`);
  return JSON.parse(stdout.trim().split('\n').pop());
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

/** What the scenarios read: seeded accounts, three posts, the feed's top and a point 90 % down it. */
async function targetsOf(db, { thread }) {
  const readers = (
    await db.query(
      `SELECT u.username FROM users u
        WHERE u.username LIKE 'seed\\_%' AND u.deleted_at IS NULL AND u.is_active AND u.totp_enabled_at IS NULL
        ORDER BY u.username LIMIT 50`,
    )
  ).rows.map((r) => r.username);
  if (readers.length === 0) throw new Error('the database has no seeded accounts: run without --reuse');
  const { rows: slugRows } = await db.query(
    `SELECT id, slug, title FROM posts WHERE status = 'published' AND visibility = 'public' AND deleted_at IS NULL
      ORDER BY published_at DESC LIMIT 3 OFFSET 10`,
  );
  if (!slugRows[0]) throw new Error('no published public post to read');
  // comments-thread: another post, given 200 comments (40 threads of a comment and 4 replies) once.
  if (thread) await addThread(db, slugRows[1].slug);
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
  return {
    readers,
    slug: slugRows[0].slug,
    title: slugRows[0].title,
    threadSlug: slugRows[1]?.slug,
    // comment-write: a third post, so the comments written never change the thread read above.
    writeSlug: slugRows[2]?.slug,
    writeId: slugRows[2]?.id,
    feedTop: feedRows[0].top.toISOString(),
    deepAt: deepRows[0].published_at.toISOString(),
  };
}

/** Every scenario's request (the anonymous ones need no bearer). */
function scenariosOf(t, { bearer, adminBearer, seededPassword } = {}) {
  return {
    health: { path: '/health' },
    profile: { path: `/api/v1/profiles/${t.readers[1] ?? t.readers[0]}` },
    me: { path: '/api/v1/auth/me', headers: bearer },
    'users-admin': { path: '/api/v1/users', headers: adminBearer },
    'feed-cached': { path: '/api/v1/posts' },
    'feed-db': { path: '/api/v1/posts', cursorAt: t.feedTop },
    'feed-deep': { path: '/api/v1/posts', cursorAt: t.deepAt },
    // A word in most posts (the newest 500 matches are ranked) and one post's title as a phrase.
    'search-common': { path: '/api/v1/posts', searchFor: 'harbour' },
    'search-rare': { path: '/api/v1/posts', searchFor: `"${t.title}"` },
    'comments-thread': { path: `/api/v1/posts/${t.threadSlug}/comments` },
    // The same page read from Postgres each time (a cursor of its own before every comment).
    'comments-thread-db': { path: `/api/v1/posts/${t.threadSlug}/comments`, threadCursor: true },
    'comment-write': {
      path: `/api/v1/posts/${t.writeId}/comments`,
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: JSON.stringify({
        body: 'A fine **day** at the harbour, said the keeper. The ferry was [on time](https://example.com).',
      }),
    },
    'post-by-slug': { path: `/api/v1/posts/${t.slug}` },
    login: {
      path: '/api/v1/auth/login',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      bodies: t.readers.map((login) => JSON.stringify({ login, password: seededPassword })),
      connections: loginConnections,
    },
  };
}

/**
 * glibc's malloc settings of the API image (`MALLOC_*` in Dockerfile.api's ENV): the services
 * processes run as the image runs them (decision 112). The reference gets them too, so both
 * servers allocate alike; the embedded rows run as `npm start` does, without them.
 */
const IMAGE_MALLOC_ENV = Object.fromEntries(
  [...readFileSync(join(root, 'Dockerfile.api'), 'utf8').matchAll(/\b(MALLOC_[A-Z_]+)=(\S+)/g)].map((m) => [
    m[1],
    m[2],
  ]),
);

/** Atrium's environment: compiled, production, on Postgres and Redis (services mode). */
function apiEnv(url, prefix, port) {
  return {
    ...IMAGE_MALLOC_ENV,
    NODE_ENV: 'production',
    DATABASE_URL: url,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    // The API and the worker must agree on it: the worker's mails link into it.
    APP_URL: `http://localhost:${port}`,
    ...secrets,
  };
}

/** What both the services and the embedded API are given beside their storage. */
function apiTuning(port) {
  return {
    PORT: String(port),
    LOG_LEVEL: 'warn',
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
    // Node's own flags for the API (not the worker or the reference): the operator's heap cap, say.
    ...(flags['api-node-options'] ? { NODE_OPTIONS: flags['api-node-options'] } : {}),
  };
}

async function signIn(base, login, password) {
  const answer = await json(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  return { authorization: `Bearer ${answer.data.accessToken}` };
}

/**
 * One scenario on each of `sides` ({ label, base, pid }): each side warmed up, then `rounds`
 * measured rounds of `duration / rounds` seconds, the sides alternated and their order reversed
 * each round (A R, R A, A R): a slow spell of the shared machine falls on both servers, not on
 * whichever ran during it. One side alone (embedded, --scale) is measured in one stretch. Returns
 * each side's measurement, combined over its rounds.
 */
async function measureSides(name, sides, s, conns = s.connections ?? connections) {
  const job = {
    method: s.method,
    headers: s.headers,
    body: s.body,
    bodies: s.bodies,
    path: s.path,
    cursorAt: s.cursorAt,
    threadCursor: s.threadCursor,
    searchFor: s.searchFor,
    connections: conns,
  };
  const n = sides.length > 1 ? rounds : 1;
  const each = amount ? `${amount} requests` : `${duration / n} s`;
  // Every round starts warm: the load generator is a new process each round, and the server has
  // been idle while the other ran. Its warm-up is not measured, CPU included.
  const roundWarmup = Math.min(1, warmup);
  log(
    `${name} · ${sides.map((side) => side.label).join(', ')}: ${conns} connections × ${n > 1 ? `${n} alternated rounds of ${each}` : each}${warmup ? `, after ${warmup} s of warm-up${n > 1 ? ` (${roundWarmup} s before each later round)` : ''}` : ''}`,
  );
  const parts = new Map(sides.map((side) => [side, []]));
  const started = new Set();
  for (const order of alternatedRounds(sides, n)) {
    for (const side of order) {
      let peak = 0;
      let sampler;
      let cpuBefore;
      const measured = await load(
        {
          ...job,
          url: side.base + s.path,
          warmup: started.has(side) ? roundWarmup : warmup,
          duration: duration / n,
          amount,
        },
        () => {
          cpuBefore = cpuMsOf(side.pid);
          sampler = setInterval(() => (peak = Math.max(peak, rssOf(side.pid).rss)), 200);
        },
      );
      const cpuMs = cpuMsOf(side.pid) - cpuBefore;
      clearInterval(sampler);
      started.add(side);
      parts.get(side).push({ ...measured, cpuMs, peakRssMb: Math.max(peak, rssOf(side.pid).rss) });
    }
  }
  const measured = sides.map((side) => combineRounds(parts.get(side)));
  // Each round's req/s: how steady the machine was.
  if (n > 1)
    log(`${name}: ${sides.map((side, i) => `${side.label} ${measured[i].rounds.join(' / ')}`).join('; ')} req/s`);
  return measured;
}

function compare(row) {
  row.ratio = row.reference?.rps > 0 ? row.atrium.rps / row.reference.rps : null;
  if (row.floor) {
    // The bare framework against the reference, and Atrium against the bare framework.
    row.floorRatio = row.reference?.rps > 0 ? row.floor.rps / row.reference.rps : null;
    row.atriumOverFloor = row.floor.rps > 0 ? row.atrium.rps / row.floor.rps : null;
  }
  row.cpuRatio =
    row.atrium.cpuMsPerRequest > 0 && row.reference
      ? (row.reference.cpuMsPerRequest ?? 0) / row.atrium.cpuMsPerRequest
      : null;
  return row;
}

/** The path of one request of the scenario (a cursor or an excluded word of its own, as load.mjs sends). */
const samplePath = (s) =>
  s.cursorAt
    ? `${s.path}?cursor=${cursorFor(s.cursorAt)}`
    : s.threadCursor
      ? `${s.path}?cursor=${Buffer.from(JSON.stringify({ id: `00000000-0000-4000-8000-${randomUUID().slice(-12)}` })).toString('base64url')}`
      : s.searchFor
        ? `${s.path}?q=${encodeURIComponent(`${s.searchFor} -zq${randomUUID().slice(0, 8)}`)}`
        : s.path;

async function main() {
  if (flags.scale) return scale();
  await choosePorts();
  const embeddedChosen = embedded ? EMBEDDED_SCENARIOS.filter((name) => chosen.includes(name)) : [];
  // When its size is known already (not --reuse, or --embedded-posts), the embedded database seeds
  // on the other core while Postgres seeds the services one: nothing is measured yet.
  const embeddedEarly = embeddedChosen.length > 0 && (!flags.reuse || flags['embedded-posts'] !== undefined);
  const embeddedSeed = embeddedEarly ? seedEmbedded() : null;
  // Should the services database fail first, the embedded seed is stopped with the rest.
  embeddedSeed?.catch(() => undefined);
  const password = await prepareDatabase(DB_NAME, posts, smoke || !flags.reuse ? null : (n) => n > 0);
  // Done before anything is measured.
  const embeddedPassword = embeddedSeed ? await embeddedSeed : null;
  const db = new pg.Client({ connectionString: databaseUrl });
  db.on('error', (error) => log(`database session: ${error.message}`));
  await db.connect();
  const redis = new Redis(redisUrl);
  try {
    const targets = await targetsOf(db, { thread: true });
    if (!embeddedEarly && flags['embedded-posts'] === undefined) {
      const { rows } = await db.query('SELECT count(*)::int AS n FROM posts');
      embeddedPosts = Math.min(10_000, rows[0].n);
    }
    const { readers } = targets;
    const seededPassword = password ?? 'seeded harbour lantern 42';

    const common = apiEnv(databaseUrl, redisPrefix, API_PORT);
    log(`starting the API, the worker and the reference server${smoke ? '' : ' (each pinned to core 0)'}`);
    const api = start('api', join(root, 'apps/api/dist/main.js'), {
      ...common,
      ...apiTuning(API_PORT),
      WORKER_PORT: String(WORKER_PORT),
      DATA_DIR: dataDir,
    });
    await waitFor(`http://127.0.0.1:${API_PORT}/health`);
    // The worker after the API: the API's start-up creates the first admin, and only one process should.
    const worker = start('worker', join(root, 'apps/api/dist/worker.js'), {
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
    // --floor: the reference's handlers served through a bare NestJS application (nest-floor.mjs).
    const floor = flags.floor
      ? start('nest floor', join(root, 'bench/reference/server.mjs'), {
          ...common,
          PORT: String(FLOOR_PORT),
          REF_PREFIX: refPrefix,
          REF_FRAMEWORK: 'nest',
        })
      : null;
    if (floor) await waitFor(`http://127.0.0.1:${FLOOR_PORT}/health`);
    await waitFor(`http://127.0.0.1:${WORKER_PORT}/health`).catch((e) => log(`worker: ${e.message}`));

    const A = `http://127.0.0.1:${API_PORT}`;
    const R = `http://127.0.0.1:${REF_PORT}`;
    const F = `http://127.0.0.1:${FLOOR_PORT}`;
    const bearer = await signIn(A, readers[0], seededPassword);
    // The admin the API created at start-up (or an earlier run, with --reuse) signs in like the seeded accounts.
    await db.query(
      `UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE username = $1) WHERE email_normalized = $2`,
      [readers[0], ADMIN.email],
    );
    const adminBearer = await signIn(A, ADMIN.email, seededPassword);
    // The reference serves the public caches only from Redis: primed with Atrium's own answers.
    const feed = await json(`${A}/api/v1/posts`);
    const { requestId: _r, timestamp: _t, ...feedMeta } = feed.meta;
    await redis.set(`${refPrefix}list:`, JSON.stringify({ items: feed.data, meta: feedMeta }));
    for (const s of [targets.slug, targets.threadSlug, targets.writeSlug]) {
      const post = await json(`${A}/api/v1/posts/${s}`);
      // By slug and by id, as Atrium's cache answers either.
      await redis.set(`${refPrefix}post:${s}`, JSON.stringify(post.data));
      await redis.set(`${refPrefix}post:${post.data.id}`, JSON.stringify(post.data));
    }
    const scenarios = scenariosOf(targets, { bearer, adminBearer, seededPassword });

    // Both servers must give the same answer's shape before they are compared.
    const shapeWarnings = [];
    const shapeFailed = new Set();
    for (const name of chosen) {
      const s = scenarios[name];
      const init = { method: s.method ?? 'GET', headers: s.headers, body: s.body ?? s.bodies?.[0] };
      const path = samplePath(s);
      const [a, r] = await Promise.all([fetch(A + path, init), fetch(R + path, init)]);
      const [ja, jr] = await Promise.all([a.json().catch(() => null), r.json().catch(() => null)]);
      const before = shapeWarnings.length;
      if (a.status !== r.status) {
        const answer = (j) => JSON.stringify(j?.error ?? j).slice(0, 300);
        shapeWarnings.push(`${name}: status ${a.status} (${answer(ja)}) vs reference ${r.status} (${answer(jr)})`);
      }
      const sa = new Set(shapeOf(ja));
      const sr = new Set(shapeOf(jr));
      const onlyA = [...sa].filter((k) => !sr.has(k));
      const onlyR = [...sr].filter((k) => !sa.has(k));
      if (onlyA.length || onlyR.length) {
        shapeWarnings.push(`${name}: only Atrium ${onlyA.join(' ') || '-'}; only reference ${onlyR.join(' ') || '-'}`);
      }
      if (floor) {
        // The floor runs the reference's own handlers: any difference is the framework's doing.
        const f = await fetch(F + path, init);
        const jf = await f.json().catch(() => null);
        const sf = shapeOf(jf);
        if (f.status !== r.status || sf.length !== sr.size || sf.some((k) => !sr.has(k))) {
          shapeWarnings.push(`${name}: the NestJS floor answers ${f.status} with another shape than the reference`);
        }
      }
      if (shapeWarnings.length > before) shapeFailed.add(name);
    }
    for (const w of shapeWarnings) log(`SHAPE ${w}`);

    const results = [];
    const sides = [
      { label: 'atrium', base: A, pid: api.pid },
      { label: 'reference', base: R, pid: ref.pid },
      ...(floor ? [{ label: 'nest floor', base: F, pid: floor.pid }] : []),
    ];
    for (const name of chosen) {
      const s = scenarios[name];
      const [atrium, reference, nestFloor] = await measureSides(name, sides, s);
      results.push(
        compare({
          scenario: name,
          mode: 'services',
          connections: s.connections ?? connections,
          atrium,
          reference,
          ...(floor ? { floor: nestFloor } : {}),
        }),
      );
    }
    const apiPeak = Math.round(rssOf(api.pid).hwm);

    let embeddedPeak = null;
    if (embeddedChosen.length > 0) {
      // Alone on the machine's core 0: the services API, its worker and the reference are done.
      await stop(api, worker, ref, ...(floor ? [floor] : []));
      embeddedPeak = await runEmbedded(embeddedChosen, results, embeddedPassword ?? (await seedEmbedded()));
    }

    // The smoke's database is dropped by cleanUp, once its servers are stopped.
    if (smoke) return smokeReport(results, shapeWarnings, shapeFailed);
    report(results, apiPeak, embeddedPeak, shapeWarnings);
  } finally {
    redis.disconnect();
    // Before cleanUp: the smoke's database is dropped there (WITH FORCE would cut this session off).
    await db.end().catch(() => undefined);
    await cleanUp();
  }
  return 0;
}

/**
 * The embedded database, in a data directory of its own: migrated and seeded by `cli.js` (PGlite
 * serves one process: before its API starts). Resolves to the seeded accounts' password.
 */
async function seedEmbedded() {
  mkdirSync(embeddedDir, { recursive: true });
  log(`embedded: migrating and seeding ${embeddedPosts} posts into PGlite (${embeddedDir})`);
  const started = Date.now();
  await cli(['migrate'], null);
  const out = await cli(['seed', '--posts', String(embeddedPosts)], null);
  log(`embedded: seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return /password "([^"]+)"/.exec(out)?.[1] ?? 'seeded harbour lantern 42';
}

/**
 * The embedded mode, as `npm start` runs it for a newcomer: no DATABASE_URL and no REDIS_URL, so
 * PGlite in process and the in-memory cache, on the database `seedEmbedded` made. Atrium alone;
 * each row's ratio is against the reference's row of the same scenario in services mode. Returns
 * the API's VmHWM.
 */
async function runEmbedded(names, results, password) {
  log('embedded: starting the API on PGlite');
  const api = start(
    'embedded api',
    join(root, 'apps/api/dist/main.js'),
    {
      ...apiTuning(EMBEDDED_PORT),
      HOST: '127.0.0.1',
      DATA_DIR: embeddedDir,
      APP_URL: `http://127.0.0.1:${EMBEDDED_PORT}`,
      ...secrets,
    },
    EMBEDDED_UNSET,
  );
  const E = `http://127.0.0.1:${EMBEDDED_PORT}`;
  await waitFor(`${E}/readiness`);
  // The seeded accounts are `seed_<run>_<n>`: the run's tag from an author of the feed's first page.
  const feed = await json(`${E}/api/v1/posts`);
  const tag = /^seed_([^_]+)_\d+$/.exec(feed.data[0]?.author?.username ?? '')?.[1];
  if (!tag) throw new Error(`embedded: no seeded author on the feed's first page`);
  // As in services mode: `me` for the first of the accounts by username, `profile` for the second.
  const readers = [`seed_${tag}_1`, `seed_${tag}_10`];
  const bearer = await signIn(E, readers[0], password);
  const top = new Date(Date.parse(feed.data[0].publishedAt) + 1000).toISOString();
  const scenarios = scenariosOf({ readers, feedTop: top }, { bearer });
  for (const name of names) {
    const s = scenarios[name];
    const probe = await fetch(E + samplePath(s), { headers: s.headers });
    if (!probe.ok) throw new Error(`embedded ${name}: ${probe.status} ${await probe.text()}`);
    const services = results.find((r) => r.scenario === name);
    results.push(
      compare({
        scenario: `${name} (embedded)`,
        mode: 'embedded',
        connections,
        atrium: (await measureSides(`${name} (embedded)`, [{ label: 'atrium', base: E, pid: api.pid }], s))[0],
        // Not measured again: the reference's row of the same scenario, in services mode.
        reference: services?.reference ?? null,
      }),
    );
  }
  const peak = Math.round(rssOf(api.pid).hwm);
  await stop(api);
  return peak;
}

/** `--scale`: Atrium alone on 10k and 1M posts, one client and `--connections`, p95 per size. */
async function scale() {
  await choosePorts();
  const clients = [...new Set([1, connections])];
  const sizes = {};
  for (const size of SCALE_SIZES) {
    // Kept when it holds the right number of posts (within 1 %: the seeder makes exactly N).
    const url = urlOf(size.db);
    await prepareDatabase(size.db, size.posts, (n) => Math.abs(n - size.posts) <= size.posts * 0.01);
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    let api;
    try {
      const targets = await targetsOf(db, { thread: false });
      const scenarios = scenariosOf(targets);
      // A Redis prefix per size (under the run's): one size's cached answers never serve the other.
      const prefix = `${redisPrefix}${size.label}:`;
      log(`${size.label}: starting the API on ${size.db} (pinned to core 0; no worker)`);
      api = start(`api ${size.label}`, join(root, 'apps/api/dist/main.js'), {
        ...apiEnv(url, prefix, API_PORT),
        ...apiTuning(API_PORT),
        WORKER_PORT: String(WORKER_PORT),
        DATA_DIR: dataDir,
      });
      const A = `http://127.0.0.1:${API_PORT}`;
      await waitFor(`${A}/health`);
      sizes[size.label] = { db: size.db, posts: size.posts, scenarios: {} };
      for (const name of chosen) {
        const s = scenarios[name];
        for (const c of clients) {
          const [m] = await measureSides(`${name} @ ${size.label}`, [{ label: 'atrium', base: A, pid: api.pid }], s, c);
          sizes[size.label].scenarios[`${name}|${c}`] = m;
        }
      }
      sizes[size.label].apiPeakRssMb = Math.round(rssOf(api.pid).hwm);
    } finally {
      if (api) await stop(api);
      await db.end();
    }
  }
  await cleanUp();
  return scaleReport(sizes, clients);
}

function scaleReport(sizes, clients) {
  const [small, large] = SCALE_SIZES.map((s) => s.label);
  const rows = [];
  for (const name of chosen) {
    for (const c of clients) {
      const a = sizes[small].scenarios[`${name}|${c}`];
      const b = sizes[large].scenarios[`${name}|${c}`];
      const ratio = a.p95 > 0 && b.p95 !== null ? b.p95 / a.p95 : null;
      const clean = [a, b].every((m) => m.total > 0 && m.non2xx === 0 && m.errors + m.timeouts === 0);
      rows.push({
        scenario: name,
        clients: c,
        [small]: a,
        [large]: b,
        p95Ratio: ratio,
        holds: clean && ratio !== null && ratio <= SCALE_BUDGET,
      });
    }
  }
  const fmt = (n, d = 1) => (n === null || n === undefined ? '—' : n.toFixed(d));
  const lines = [
    `| scenario | clients | p95 ${small} ms | p95 ${large} ms | ${large} / ${small} | ≤ ${SCALE_BUDGET}× | req/s ${small} / ${large} | non-2xx + errors ${small} / ${large} |`,
    `|---|---|---|---|---|---|---|---|`,
  ];
  for (const r of rows) {
    const a = r[small];
    const b = r[large];
    lines.push(
      `| ${r.scenario} | ${r.clients} | ${fmt(a.p95)} | ${fmt(b.p95)} | ${fmt(r.p95Ratio, 2)} | ${r.holds ? 'holds' : a.total > 0 && b.total > 0 ? 'misses' : 'misses (no answer)'} | ${fmt(a.rps, 0)} / ${fmt(b.rps, 0)} | ${a.non2xx + a.errors + a.timeouts} / ${b.non2xx + b.errors + b.timeouts} |`,
    );
  }
  console.log(lines.join('\n'));
  if (rows.some((r) => !(r[small].total > 0 && r[large].total > 0))) {
    console.log(
      `\n—: no answer within the ${duration} s measured (autocannon counts no request still running at the end): each took longer.`,
    );
  }
  console.log(
    `\np95 is the nearest-rank 95th percentile of every answer's latency (recorded by bench/load.mjs; autocannon has p90 and p97.5, no p95).`,
  );
  console.log(
    `API peak RSS (VmHWM): ${SCALE_SIZES.map((s) => `${s.label} ${sizes[s.label].apiPeakRssMb} MB`).join(', ')}.`,
  );
  const out = {
    at: new Date().toISOString(),
    machine: { cpus: spawnSync('nproc', { encoding: 'utf8' }).stdout.trim(), node: process.version },
    options: { duration, warmup, clients },
    budget: `p95 at ${large} ≤ ${SCALE_BUDGET} × p95 at ${small}`,
    sizes: Object.fromEntries(
      Object.entries(sizes).map(([label, s]) => [label, { db: s.db, posts: s.posts, apiPeakRssMb: s.apiPeakRssMb }]),
    ),
    rows,
  };
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, 'bench/results/scale.json'), `${JSON.stringify(out, null, 2)}\n`);
  log('wrote bench/results/scale.json');
  return 0;
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
  if (smoke) await dropDatabase(DB_NAME).catch((e) => log(`could not drop ${DB_NAME}: ${e.message}`));
}

const fmt = (n, d = 0) => (n === null || n === undefined ? '—' : n.toFixed(d));

/** A row's ratio budget: services rows only (an embedded row's ratio is shown, not budgeted). */
const ratioBudgetOf = (r) => (r.mode === 'services' ? RATIO_BUDGET[r.scenario] : undefined);

/** A row's ratio, with the decimals that show which side of its budget (if any) it is on. */
const ratioOf = (r) => {
  const budget = ratioBudgetOf(r);
  return budget === undefined ? fmt(r.ratio, 2) : beside(r.ratio, budget);
};

/** The budgets of one row: each check with whether it holds (none for what has no budget). */
function budgetChecks(r) {
  const a = r.atrium;
  const f = r.reference;
  const checks = [];
  const ratioBudget = ratioBudgetOf(r);
  if (ratioBudget !== undefined) {
    checks.push({
      ok: r.ratio !== null && r.ratio >= ratioBudget,
      text: `ratio ${beside(r.ratio, ratioBudget)} vs ≥ ${ratioBudget.toFixed(2)}`,
    });
  }
  if (r.mode === 'services' && f) {
    // Under a millisecond the tail is the machine's jitter, not the server: a budget of 1 ms at least.
    const allowed = Math.max(P99_BUDGET * f.p99, 1);
    checks.push({ ok: a.p99 <= allowed, text: `p99 ${a.p99} vs ≤ ${allowed} ms` });
  }
  const failures = (m) => m.non2xx + m.errors + m.timeouts;
  checks.push({ ok: a.total > 0 && failures(a) === 0, text: `${a.non2xx} non-2xx, ${a.errors + a.timeouts} errors` });
  const rssBudget = RSS_BUDGET_MB[r.mode];
  checks.push({ ok: a.peakRssMb <= rssBudget, text: `RSS ${a.peakRssMb} vs ≤ ${rssBudget} MB` });
  if (f && r.mode === 'services' && failures(f) > 0) {
    checks.push({ ok: false, text: `the reference had ${failures(f)} failures: no comparison` });
  }
  return checks;
}

function report(results, apiPeak, embeddedPeak, shapeWarnings) {
  const lines = [
    `| scenario | conns | Atrium req/s | ref req/s | ratio | CPU ms/req A / R | CPU ratio | Atrium p50 / p99 ms | ref p50 / p99 ms | non-2xx A / R | errors A / R | API peak RSS MB |`,
    `|---|---|---|---|---|---|---|---|---|---|---|---|`,
  ];
  for (const r of results) {
    const a = r.atrium;
    const f = r.reference;
    // Embedded rows: the reference's columns are its services-mode row of the same scenario.
    const refMark = r.mode === 'embedded' ? '*' : '';
    lines.push(
      `| ${r.scenario} | ${r.connections} | ${fmt(a.rps)} | ${f ? `${fmt(f.rps)}${refMark}` : '—'} | ${ratioOf(r)} | ${fmt(a.cpuMsPerRequest, 3)} / ${f ? `${fmt(f.cpuMsPerRequest, 3)}${refMark}` : '—'} | ${fmt(r.cpuRatio, 2)} | ${a.p50} / ${a.p99} | ${f ? `${f.p50} / ${f.p99}${refMark}` : '—'} | ${a.non2xx} / ${f ? f.non2xx : '—'} | ${a.errors + a.timeouts} / ${f ? f.errors + f.timeouts : '—'} | ${a.peakRssMb} |`,
    );
  }
  console.log(lines.join('\n'));
  if (results.some((r) => r.mode === 'embedded')) {
    console.log(
      `\n(embedded) rows: Atrium without DATABASE_URL and REDIS_URL (PGlite in process, in-memory cache), ${embeddedPosts} posts; * the reference's row of the same scenario in services mode.`,
    );
  }
  const floored = results.filter((r) => r.floor);
  if (floored.length > 0) {
    console.log(
      [
        "\nThe NestJS floor (--floor): the reference's handlers through a bare Nest application, nothing of Atrium.",
        '| scenario | floor req/s | floor / ref | Atrium / floor | CPU ms/req floor | floor p50 / p99 ms | non-2xx | errors |',
        '|---|---|---|---|---|---|---|---|',
        ...floored.map((r) => {
          const n = r.floor;
          return `| ${r.scenario} | ${fmt(n.rps)} | ${fmt(r.floorRatio, 2)} | ${fmt(r.atriumOverFloor, 2)} | ${fmt(n.cpuMsPerRequest, 3)} | ${n.p50} / ${n.p99} | ${n.non2xx} | ${n.errors + n.timeouts} |`;
        }),
      ].join('\n'),
    );
  }
  console.log(
    `\nAPI peak RSS over the run (VmHWM): ${apiPeak} MB services${embeddedPeak === null ? '' : `, ${embeddedPeak} MB embedded`}${flags['api-node-options'] ? ` (NODE_OPTIONS=${flags['api-node-options']})` : ''}.`,
  );

  // The budgets of the issue, judged on this run (noisy on a shared machine: see bench/README.md).
  console.log('\nBudgets:');
  const verdicts = {};
  for (const r of results) {
    const checks = budgetChecks(r);
    const holds = checks.every((c) => c.ok);
    verdicts[r.scenario] = { holds, checks };
    const missed = checks.filter((c) => !c.ok);
    console.log(
      `  ${r.scenario}: ${holds ? 'holds' : 'misses'} (${(holds ? checks : missed).map((c) => c.text).join('; ')})`,
    );
  }
  const overall = [
    { label: 'services', peak: apiPeak, budget: RSS_BUDGET_MB.services },
    ...(embeddedPeak === null ? [] : [{ label: 'embedded', peak: embeddedPeak, budget: RSS_BUDGET_MB.embedded }]),
  ];
  for (const o of overall) {
    console.log(
      `  API peak RSS ${o.label} (VmHWM): ${o.peak <= o.budget ? 'holds' : 'misses'} (${o.peak} vs ≤ ${o.budget} MB)`,
    );
  }
  const out = {
    at: new Date().toISOString(),
    machine: { cpus: spawnSync('nproc', { encoding: 'utf8' }).stdout.trim(), node: process.version },
    options: {
      posts,
      reuse: flags.reuse,
      duration,
      warmup,
      rounds,
      connections,
      loginConnections,
      embedded,
      embeddedPosts,
      apiNodeOptions: flags['api-node-options'] ?? null,
      floor: flags.floor,
    },
    apiPeakRssMb: apiPeak,
    embeddedApiPeakRssMb: embeddedPeak,
    shapeWarnings,
    budgets: verdicts,
    scenarios: results,
  };
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, 'bench/results/latest.json'), `${JSON.stringify(out, null, 2)}\n`);
  log('wrote bench/results/latest.json');
}

/**
 * `--smoke`: one TAP result per scenario and side (for .ci/run's count_tap). A side passes when it
 * answered at least once, never with a non-2xx, an error or a timeout, and the two answers' shapes
 * agree. Returns the exit code: 1 when anything failed.
 */
function smokeReport(results, shapeWarnings, shapeFailed) {
  const lines = ['TAP version 13'];
  let n = 0;
  let pass = 0;
  let fail = 0;
  for (const r of results) {
    for (const side of ['atrium', 'reference', 'floor'].filter((name) => r[name] !== undefined)) {
      const m = r[side];
      const problems = [];
      if (!(m.total > 0)) problems.push('no answer at all');
      if (m.non2xx > 0) problems.push(`${m.non2xx} non-2xx of ${m.total}`);
      if (m.errors + m.timeouts > 0) problems.push(`${m.errors} errors and ${m.timeouts} timeouts`);
      if (shapeFailed.has(r.scenario)) {
        problems.push(`SHAPE ${shapeWarnings.filter((w) => w.startsWith(`${r.scenario}:`)).join(' / ')}`);
      }
      n += 1;
      const label = `${r.scenario} · ${side}`;
      if (problems.length === 0) {
        pass += 1;
        lines.push(`ok ${n} - ${label}`, `  # ${m.total} answers, ${fmt(m.rps)} req/s, p99 ${m.p99} ms`);
      } else {
        fail += 1;
        lines.push(`not ok ${n} - ${label}`, '  ---', `  error: ${JSON.stringify(problems.join('; '))}`, '  ...');
      }
    }
  }
  lines.push(`1..${n}`, `# tests ${n}`, `# pass ${pass}`, `# fail ${fail}`);
  console.log(lines.join('\n'));
  return fail === 0 && n > 0 ? 0 : 1;
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
  (code) => process.exit(code ?? 0),
  async (error) => {
    if (!interrupted) console.error(error);
    await cleanUp().catch(() => undefined);
    if (smoke)
      console.log(
        'not ok 1 - bench smoke ran\n  ---\n  error: ' +
          JSON.stringify(String(error?.message ?? error).split('\n')[0]) +
          '\n  ...\n1..1\n# pass 0\n# fail 1',
      );
    process.exit(interrupted ? 130 : 1);
  },
);
