import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { ManagedProcess, run } from './processes';
import { until } from './wait';

/** Debian keeps the server binaries (initdb, postgres) out of PATH, one folder per major version. */
export function postgresBinDir(): string {
  if (process.env.PG_BIN_DIR) return process.env.PG_BIN_DIR;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0)
    throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql (set PG_BIN_DIR)');
  return join(root, versions[0], 'bin');
}

/** Root cannot run Postgres: the server runs as the `postgres` OS user (uid/gid of `id postgres`). */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string): number => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

export const DATABASE = 'atrium';

/**
 * A private PostgreSQL cluster (initdb in a temporary folder owned by the server's user, trust
 * auth, loopback port, unix socket in the same folder), run as a child process so that it can
 * be stopped, restarted and killed like any other.
 */
export class PostgresServer {
  private readonly process: ManagedProcess;
  private readonly user = serverUser();
  private readonly bin = postgresBinDir();
  private readonly dataDir: string;

  constructor(
    readonly port: number,
    private readonly dir: string,
    logDir: string,
  ) {
    this.dataDir = join(dir, 'data');
    this.process = new ManagedProcess({
      name: 'postgres',
      command: join(this.bin, 'postgres'),
      args: [
        '-D',
        this.dataDir,
        '-p',
        String(port),
        '-k',
        dir,
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'max_connections=100',
        // A test cluster: durability is not what is under test, speed on a shared machine is.
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'logging_collector=off',
      ],
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', LANG: 'C.UTF-8' },
      uid: this.user?.uid,
      gid: this.user?.gid,
      logFile: join(logDir, 'postgres.log'),
    });
  }

  /** The superuser URL of a database of this cluster. */
  url(database = DATABASE): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  get running(): boolean {
    return this.process.running;
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** initdb (once), start, and create the application database. */
  async init(): Promise<void> {
    if (this.user) chownSync(this.dir, this.user.uid, this.user.gid);
    await run(
      join(this.bin, 'initdb'),
      ['-D', this.dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'],
      {
        cwd: this.dir,
        env: { PATH: process.env.PATH ?? '', LANG: 'C.UTF-8' },
        uid: this.user?.uid,
        gid: this.user?.gid,
      },
    );
    await this.start();
    await this.query(`CREATE DATABASE "${DATABASE}"`, [], 'postgres');
  }

  async start(): Promise<void> {
    this.process.spawn();
    await until(
      `postgres on port ${this.port} accepts connections`,
      async () => {
        if (!this.process.running) throw new Error(`postgres exited:\n${this.process.tail(20)}`);
        await this.query('SELECT 1', [], 'postgres');
        return true;
      },
      20_000,
    );
  }

  /**
   * Stops the server: `fast` (SIGINT) ends every session at once, as an operator's restart
   * does; `immediate` (SIGQUIT) is a crash.
   */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await this.process.stop(mode === 'fast' ? 'SIGINT' : 'SIGQUIT', 20_000);
  }

  async kill(): Promise<void> {
    await this.process.kill();
  }

  /** One query on a connection of its own (so it works across restarts). */
  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = [], database = DATABASE): Promise<T[]> {
    const client = new Client({ connectionString: this.url(database), connectionTimeoutMillis: 2000 });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** A connection of the test's own (e.g. to hold a lock); `end()` it. */
  async connect(database = DATABASE): Promise<Client> {
    const client = new Client({ connectionString: this.url(database), connectionTimeoutMillis: 2000 });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  }

  /** Sessions of the application database, the probe's own left out. */
  async connectionCount(): Promise<number> {
    const [row] = await this.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [DATABASE],
    );
    return Number(row.n);
  }

  tail(lines?: number): string {
    return this.process.tail(lines);
  }
}
