import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PASSWORD, unique } from '../../test/support/factories';
import { freePort } from '../../test/support/private-redis';
import { type ReceivedMail, SmtpSink } from '../../test/support/smtp-sink';
import { type Answer, HttpClient } from './http';
import { PostgresServer } from './postgres-server';
import { ManagedProcess, run } from './processes';
import { RedisServer } from './redis-server';
import { pollFor, sleep, until } from './wait';

/** The compiled API under test: apps/api/dist, or another build (RESILIENCE_API_DIST, e.g. an older release's). */
const DIST = resolve(process.env.RESILIENCE_API_DIST ?? resolve(__dirname, '../../dist'));
export const API_ENTRY = join(DIST, 'main.js');
export const WORKER_ENTRY = join(DIST, 'worker.js');
export const MIGRATE_ENTRY = join(DIST, 'database/cli.js');

/** The key prefix every process of one installation shares. */
export const REDIS_PREFIX = 'atrium-resilience:';

/** Mail subjects (apps/api/src/modules/mail/templates). */
export const SUBJECT = {
  verifyEmail: /confirm your email address/i,
  resetPassword: /reset your atrium password/i,
} as const;

/** How long a process may take to boot on a busy two-core machine. */
const BOOT_TIMEOUT_MS = 60_000;

export interface AtriumOptions {
  /** A name for the log folder (the scenario file). */
  name: string;
  /** Extra environment for the API replicas and the worker. */
  env?: Record<string, string>;
  replicas?: number;
}

/**
 * An Atrium process (`node dist/main.js` or `node dist/worker.js`) on a fixed loopback port, so a
 * restarted replica is reachable at the same address, as behind a load balancer.
 */
export class AtriumProcess {
  readonly process: ManagedProcess;
  readonly http: HttpClient;

  constructor(
    readonly name: string,
    readonly kind: 'api' | 'worker',
    readonly port: number,
    env: Record<string, string>,
    cwd: string,
    logDir: string,
  ) {
    this.process = new ManagedProcess({
      name,
      command: process.execPath,
      args: [kind === 'api' ? API_ENTRY : WORKER_ENTRY],
      env: kind === 'api' ? { ...env, PORT: String(port) } : { ...env, WORKER_PORT: String(port) },
      cwd,
      logFile: join(logDir, `${name}.log`),
    });
    // The worker's probes are its own, not operations of the API's spec.
    this.http = new HttpClient(name, port, '127.0.0.1', { checkContract: kind === 'api' });
  }

  get running(): boolean {
    return this.process.running;
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** Starts it and waits until `GET /health` answers 200. */
  async start(): Promise<void> {
    this.process.spawn();
    this.http.reset();
    await until(
      `${this.name} answers GET /health on port ${this.port}`,
      async () => {
        if (!this.process.running) {
          throw new Error(`${this.name} exited (${JSON.stringify(this.process.lastExit)}):\n${this.process.tail(30)}`);
        }
        const res = await this.http.send({ method: 'GET', path: '/health' }, 2000);
        return res.status === 200;
      },
      BOOT_TIMEOUT_MS,
      200,
    );
  }

  /** SIGTERM and wait for the exit (its code tells whether the drain finished in time). */
  terminate(graceMs = 40_000): ReturnType<ManagedProcess['stop']> {
    return this.process.stop('SIGTERM', graceMs);
  }

  /** SIGKILL (a crash, an OOM kill): nothing is drained. */
  async kill(): Promise<void> {
    await this.process.kill();
  }

  async restart(): Promise<void> {
    if (this.running) await this.terminate();
    await this.start();
  }

  tail(lines?: number): string {
    return this.process.tail(lines);
  }
}

/** An account made through the API (and, where the API needs mail or an admin, in the database). */
export interface Account {
  id: string;
  username: string;
  email: string;
  password: string;
}

export interface Session {
  token: string;
  refreshToken?: string;
  sessionId: string;
}

export const claimsOf = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;

let staleChecked = false;

/** The suite runs the build, not the sources: say so when the sources are newer (once per run). */
function warnIfStale(): void {
  if (staleChecked || process.env.RESILIENCE_API_DIST) return;
  staleChecked = true;
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
      const path = join(dir, entry.name);
      const time = entry.isDirectory() ? newest(path) : entry.name.endsWith('.ts') ? statSync(path).mtimeMs : 0;
      return Math.max(latest, time);
    }, 0);
  const sources = resolve(__dirname, '../../src');
  if (existsSync(sources) && newest(sources) > statSync(API_ENTRY).mtimeMs) {
    process.stderr.write(
      `\nresilience: apps/api/src changed after apps/api/dist was built; run \`npm run build -w @atrium/api\` to test the changes\n\n`,
    );
  }
}

/** A pino JSON line as `context METHOD url → status: Type: message` (other lines shortened). */
function compactLogLine(line: string): string {
  try {
    const entry = JSON.parse(line) as {
      context?: string;
      msg?: string;
      req?: { method?: string; url?: string };
      res?: { statusCode?: number };
      err?: { type?: string; message?: string };
    };
    const request = entry.req
      ? `${entry.req.method} ${entry.req.url}${entry.res ? ` → ${entry.res.statusCode}` : ''}: `
      : '';
    const error = entry.err ? `${entry.err.type}: ${entry.err.message}` : (entry.msg ?? '');
    return `${entry.context ? `[${entry.context}] ` : ''}${request}${error}`.slice(0, 400);
  } catch {
    return line.slice(0, 400);
  }
}

function expectStatus(res: Answer, status: number, what: string): void {
  if (res.status !== status) throw new Error(`${what}: want ${status}, got ${res.describe()}`);
}

/**
 * Atrium as an operator runs it, every part a real process on free loopback ports: a private
 * PostgreSQL (migrated with the compiled CLI), a private Redis without persistence, an SMTP sink,
 * two API replicas and a worker — and the faults to inject into them.
 */
export class Atrium {
  readonly dir: string;
  readonly logDir: string;
  readonly env: Record<string, string>;
  readonly redis: RedisServer;
  readonly postgres: PostgresServer;
  readonly sink = new SmtpSink();
  /** Connection errors the SMTP sink saw (senders killed mid-message). */
  readonly sinkErrors: string[] = [];
  readonly replicas: AtriumProcess[] = [];
  worker!: AtriumProcess;

  private constructor(
    readonly options: AtriumOptions,
    ports: { redis: number; postgres: number },
  ) {
    this.dir = mkdtempSync(join(tmpdir(), 'atrium-resilience-'));
    const logRoot = process.env.RESILIENCE_LOG_DIR;
    this.logDir = logRoot ? join(resolve(logRoot), options.name) : join(this.dir, 'logs');
    rmSync(this.logDir, { recursive: true, force: true });
    mkdirSync(this.logDir, { recursive: true });
    mkdirSync(join(this.dir, 'redis'));
    mkdirSync(join(this.dir, 'data'));
    // Postgres runs as its own user: its folder is one that user owns, beside (not inside) ours.
    const pgDir = mkdtempSync(join(tmpdir(), 'atrium-resilience-pg-'));
    this.redis = new RedisServer(ports.redis, join(this.dir, 'redis'), this.logDir);
    this.postgres = new PostgresServer(ports.postgres, pgDir, this.logDir);
    this.pgDir = pgDir;
    this.env = {};
  }

  private readonly pgDir: string;

  /** Replica A and replica B. */
  get a(): AtriumProcess {
    return this.replicas[0];
  }

  get b(): AtriumProcess {
    return this.replicas[1];
  }

  static async start(options: AtriumOptions): Promise<Atrium> {
    for (const entry of [API_ENTRY, WORKER_ENTRY, MIGRATE_ENTRY]) {
      if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build -w @atrium/api\` first`);
    }
    warnIfStale();
    const atrium = new Atrium(options, { redis: await freePort(), postgres: await freePort() });
    try {
      await atrium.boot();
    } catch (error) {
      const logs = atrium.describeLogs(30);
      await atrium.stop();
      throw new Error(`the harness did not start: ${String(error)}\n${logs}`, { cause: error });
    }
    return atrium;
  }

  private async boot(): Promise<void> {
    await Promise.all([this.postgres.init(), this.redis.start(), this.sink.start()]);
    // A sender killed in the middle of a message resets its connection, and smtp-server reports
    // that as an 'error' event on the server: without a listener it would crash the test process.
    (this.sink as unknown as { server?: { on(event: 'error', listener: (error: Error) => void): void } }).server?.on(
      'error',
      (error) => this.sinkErrors.push(error.message),
    );
    Object.assign(this.env, {
      PATH: process.env.PATH ?? '',
      // Production is what an operator runs; it insists on real secrets, Postgres and Redis.
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      DATABASE_URL: this.postgres.url(),
      REDIS_URL: this.redis.url,
      REDIS_PREFIX,
      SMTP_URL: this.sink.url,
      JWT_ACCESS_SECRET: randomBytes(32).toString('base64url'),
      DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
      APP_URL: 'https://app.atrium.test',
      CORS_ORIGINS: 'https://app.atrium.test',
      SERVE_SPA: 'false',
      DATA_DIR: join(this.dir, 'data'),
      LOG_LEVEL: process.env.RESILIENCE_LOG_LEVEL ?? 'warn',
      // Every request of the suite comes from 127.0.0.1: the per-IP limits would answer 429 to
      // the load, not the behaviour under test. The limiter itself still runs (on Redis).
      THROTTLE_LIMIT: '1000000',
      AUTH_THROTTLE_LIMIT: '1000000',
      // The refresh-token reuse grace (finding 8), short so the suite can outwait it.
      REFRESH_REUSE_GRACE_SECONDS: '2',
      // A killed worker's job comes back after the lock expires and a stalled check runs (finding 12).
      JOB_LOCK_DURATION_MS: '10000',
      JOB_STALLED_INTERVAL_MS: '5000',
      // Queued mail and the schedules lost with Redis's data come back after 10 s, not a minute (finding 7).
      JOB_RECOVERY_CHECK_SECONDS: '10',
      ...this.options.env,
    });
    await run(process.execPath, [MIGRATE_ENTRY, 'migrate'], { env: this.env, cwd: this.dir, timeoutMs: 120_000 });

    const count = this.options.replicas ?? 2;
    for (let i = 0; i < count; i++) {
      const name = String.fromCharCode(65 + i); // A, B …
      this.replicas.push(new AtriumProcess(name, 'api', await freePort(), this.env, this.dir, this.logDir));
    }
    this.worker = new AtriumProcess('worker', 'worker', await freePort(), this.env, this.dir, this.logDir);
    await Promise.all([...this.replicas.map((r) => r.start()), this.worker.start()]);
  }

  /**
   * Brings everything back to normal after a scenario, whatever it did: Redis thawed and running,
   * Postgres running, every replica and the worker up. Keep-alive connections are dropped.
   */
  async heal(): Promise<void> {
    if (this.redis.frozen) this.redis.thaw();
    if (!this.redis.running) await this.redis.start();
    if (!this.postgres.running) await this.postgres.start();
    await Promise.all(
      [...this.replicas, this.worker].map(async (p) => {
        if (!p.running) await p.start();
        p.http.reset();
      }),
    );
  }

  /** Stops everything and removes the temporary folders (the logs stay when RESILIENCE_LOG_DIR is set). */
  async stop(): Promise<void> {
    await Promise.allSettled([...this.replicas, this.worker].filter(Boolean).map((p) => p.kill()));
    for (const p of [...this.replicas, this.worker].filter(Boolean)) p.http.reset();
    await Promise.allSettled([this.redis.kill(), this.postgres.kill(), this.sink.stop()]);
    rmSync(this.dir, { recursive: true, force: true });
    rmSync(this.pgDir, { recursive: true, force: true });
  }

  /** The last lines of every process's log, for a failure message. */
  describeLogs(lines = 20): string {
    const parts = [...this.replicas, this.worker].filter(Boolean).map((p) => `--- ${p.name} ---\n${p.tail(lines)}`);
    parts.push(`--- redis ---\n${this.redis.tail(5)}`, `--- postgres ---\n${this.postgres.tail(lines)}`);
    return parts.join('\n');
  }

  /** Where each process's log ends now (see `errorsLoggedSince`). */
  logMarks(): Map<string, number> {
    return new Map([...this.replicas, this.worker].filter(Boolean).map((p) => [p.name, p.process.logSize()]));
  }

  /** The error lines (pino level ≥ 50) each process logged since `marks`, a few per process, shortened. */
  errorsLoggedSince(marks: Map<string, number>, perProcess = 4): string {
    const parts: string[] = [];
    for (const p of [...this.replicas, this.worker].filter(Boolean)) {
      const lines = p.process
        .logSince(marks.get(p.name) ?? 0)
        .split('\n')
        .filter((line) => /"level":(50|60)/.test(line) || /^\S*Error|^\[harness\]/.test(line));
      if (lines.length === 0) continue;
      parts.push(`--- ${p.name} (${lines.length} error line(s)) ---`);
      for (const line of lines.slice(-perProcess)) parts.push(`  ${compactLogLine(line)}`);
    }
    return parts.join('\n');
  }

  /**
   * Waits until every replica reports Redis up in `/readiness` (its clients reconnected after a
   * restart); returns how long that took.
   */
  async redisReconnected(timeoutMs = 20_000): Promise<number> {
    return until(
      'every replica reports Redis up',
      async () => {
        for (const replica of this.replicas) {
          const res = await replica.http.send({ method: 'GET', path: '/readiness' }, 5000);
          const body = res.body
            ? (JSON.parse(res.body.toString('utf8')) as { checks?: { redis?: { status?: string } } })
            : {};
          if (body.checks?.redis?.status !== 'up') return false;
        }
        return true;
      },
      timeoutMs,
      200,
    );
  }

  /* ----- accounts ----- */

  /**
   * Signs up through `POST /api/v1/auth/register` on `via` (replica A by default); `verified` marks
   * the address verified in the database and `roles` are given there, as the CLI's `assign-role`
   * does — both before the first sign-in, so no cached grant predates them.
   */
  async account(options: { roles?: string[]; verified?: boolean; via?: AtriumProcess } = {}): Promise<Account> {
    const username = unique('res');
    const account = { username, email: `${username}@example.com`, password: PASSWORD };
    const res = await (options.via ?? this.a).http.post('/api/v1/auth/register', account);
    expectStatus(res, 202, `registering ${username}`);
    // The answer names no account (it is the same for a taken address): the id comes from the table.
    const [{ id }] = await this.postgres.query<{ id: string }>(
      `SELECT "id" FROM "users" WHERE "username_normalized" = $1`,
      [username.toLowerCase()],
    );
    if (options.verified ?? true) {
      await this.postgres.query(`UPDATE "users" SET "email_verified_at" = now() WHERE "id" = $1`, [id]);
    }
    for (const role of options.roles ?? []) await this.grantRole(id, role);
    return { id, ...account };
  }

  async grantRole(userId: string, role: string): Promise<void> {
    const rows = await this.postgres.query(
      `INSERT INTO "user_roles" ("id", "user_id", "role_id")
       SELECT gen_random_uuid(), $1, "id" FROM "roles" WHERE "name" = $2
       ON CONFLICT ("user_id", "role_id") DO NOTHING RETURNING "id"`,
      [userId, role],
    );
    if (rows.length !== 1) throw new Error(`could not give ${role} to ${userId}`);
  }

  /** `POST /api/v1/auth/login` that must succeed; `inBody` asks for the refresh token in the body. */
  async signIn(account: Account, options: { via?: AtriumProcess; inBody?: boolean } = {}): Promise<Session> {
    const res = await (options.via ?? this.a).http.post('/api/v1/auth/login', {
      login: account.username,
      password: account.password,
      ...(options.inBody ? { refreshTokenInBody: true } : {}),
    });
    expectStatus(res, 200, `signing in as ${account.username}`);
    const data = res.json<{ data: { accessToken: string; refreshToken?: string } }>().data;
    return {
      token: data.accessToken,
      refreshToken: data.refreshToken,
      sessionId: String(claimsOf(data.accessToken).sid),
    };
  }

  /** A verified account, signed in. */
  async signedIn(options: { roles?: string[] } = {}): Promise<Account & Session> {
    const account = await this.account({ roles: options.roles });
    return { ...account, ...(await this.signIn(account)) };
  }

  /* ----- mail ----- */

  /** Mails the sink accepted for `to` (optionally only those whose subject matches). */
  mails(to: string, subject?: RegExp): ReceivedMail[] {
    return this.sink.to(to).filter((m) => subject === undefined || subject.test(m.parsed.subject ?? ''));
  }

  /** Waits until every address in `to` has at least one mail matching `subject`; returns who still has none. */
  waitForMails(to: readonly string[], subject: RegExp, timeoutMs: number): Promise<string[]> {
    const missing = (): Promise<string[]> =>
      Promise.resolve(to.filter((address) => this.mails(address, subject).length === 0));
    return pollFor(missing, (left) => left.length === 0, timeoutMs, 250);
  }

  /** Waits for the queues to go quiet: every mail that was queued so far has been sent (or given up). */
  async settleMail(quietMs = 1500, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = -1;
    let stableSince = Date.now();
    while (Date.now() < deadline) {
      const now = this.sink.received.length;
      if (now !== last) {
        last = now;
        stableSince = Date.now();
      } else if (Date.now() - stableSince >= quietMs) return;
      await sleep(200);
    }
  }
}
