import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { chmod, lstat, mkdir, mkdtemp, rm, unlink } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGliteSessionQueue } from './pglite-session-queue';

/** The port in the socket's name: `pg` connects to `<host>/.s.PGSQL.<port>` when `host` is a directory. */
const SOCKET_PORT = 5432;
const SOCKET_NAME = `.s.PGSQL.${SOCKET_PORT}`;
/** `sun_path` holds 108 bytes on Linux and 104 on macOS, the terminating NUL included. */
const MAX_SOCKET_PATH_BYTES = 103;

/**
 * The extensions the migrations create (search's trigram fallback), as Postgres servers ship them
 * in contrib; and a buffer cache of 16 MB instead of Postgres's 128 MB. PGlite's pages live in the
 * process's WebAssembly memory, which never shrinks: with 128 MB the API grew by that much as a
 * newcomer's reads filled it, and the pages it evicts now stay in the system's file cache, where
 * they are read back from (decisions 93 and 124).
 */
const PGLITE_OPTIONS = {
  extensions: { pg_trgm },
  startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'],
};

/**
 * Real Postgres (PGlite, WebAssembly) in this process, persisted under `<dataDir>/pg` and served
 * on a Unix socket so TypeORM and `pg` reach it exactly as they reach a Postgres server.
 *
 * PGlite accepts any user and password, so the socket is the only gate: it lives in
 * `<dataDir>/run`, a directory of the process's own user with mode 0700, and nobody else can
 * connect to it (another local user, a browser's DNS-rebinding page, anything on the network). A
 * data directory whose path is too long for a socket gets a private 0700 directory under the
 * system temp directory instead. A live socket in `run/` means another process (the API, a CLI
 * command) has the database open: PGlite serves one process, so starting fails with that message.
 *
 * PGlite is a single session, which the socket's clients take one exchange at a time (a query up
 * to its Sync, a transaction block to its end: PGliteSessionQueue, decision 109): it is for trying
 * Atrium, development and demos on one machine, never for production.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    /** `postgres://postgres@<socket directory, URL-encoded>:5432/postgres`: no credential, nothing secret. */
    readonly url: string,
    readonly dataPath: string,
    /** The directory that holds the socket (mode 0700); empty on Windows (loopback TCP). */
    readonly socketDir: string,
    private readonly ownsSocketDir: boolean,
  ) {}

  static async start(dataDir: string, maxConnections: number): Promise<EmbeddedPostgres> {
    const dataPath = join(dataDir, 'pg');
    // PGlite does not create missing parent folders. Postgres keeps its data directory private; so do we.
    await mkdir(dataPath, { recursive: true, mode: 0o700 });
    await chmod(dataPath, 0o700).catch(() => undefined);
    if (process.platform === 'win32') return EmbeddedPostgres.startOnLoopback(dataPath, maxConnections);

    const { socketDir, temporary } = await privateSocketDir(dataDir);
    const socketPath = join(socketDir, SOCKET_NAME);
    try {
      await removeStaleSocket(socketPath, dataPath);
      const db = await PGlite.create(dataPath, PGLITE_OPTIONS);
      const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections });
      PGliteSessionQueue.install(server, db);
      try {
        await server.start();
      } catch (error) {
        await db.close().catch(() => undefined);
        throw error;
      }
      const url = `postgres://postgres@${encodeURIComponent(socketDir)}:${SOCKET_PORT}/postgres`;
      return new EmbeddedPostgres(db, server, url, dataPath, socketDir, temporary);
    } catch (error) {
      if (temporary) await rm(socketDir, { recursive: true, force: true });
      throw error;
    }
  }

  /**
   * Windows has no Unix sockets that `pg` can reach: a random loopback port, which every local
   * process can connect to with any credentials. Embedded mode on Windows is for a single-user machine.
   */
  private static async startOnLoopback(dataPath: string, maxConnections: number): Promise<EmbeddedPostgres> {
    const db = await PGlite.create(dataPath, PGLITE_OPTIONS);
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
    PGliteSessionQueue.install(server, db);
    await server.start();
    const [, port] = server.getServerConn().split(':');
    return new EmbeddedPostgres(db, server, `postgres://postgres@127.0.0.1:${port}/postgres`, dataPath, '', false);
  }

  async stop(): Promise<void> {
    // Closing the listener removes the socket file.
    await this.server.stop();
    await this.db.close();
    if (this.ownsSocketDir) await rm(this.socketDir, { recursive: true, force: true });
  }
}

/**
 * `<dataDir>/run`, created or tightened to 0700 and checked to be a real directory of this user
 * (not a symlink, not someone else's); a fresh `mkdtemp` directory (0700) when the path is too long.
 */
async function privateSocketDir(dataDir: string): Promise<{ socketDir: string; temporary: boolean }> {
  const socketDir = join(dataDir, 'run');
  if (Buffer.byteLength(join(socketDir, SOCKET_NAME)) > MAX_SOCKET_PATH_BYTES) {
    return { socketDir: await mkdtemp(join(tmpdir(), 'atrium-pg-')), temporary: true };
  }
  await mkdir(socketDir, { recursive: true, mode: 0o700 });
  const stats = await lstat(socketDir);
  if (!stats.isDirectory()) throw new Error(`${socketDir} must be a directory (it holds the database socket)`);
  if (typeof process.getuid === 'function' && stats.uid !== process.getuid()) {
    throw new Error(`${socketDir} belongs to another user; it must be this user's own (it holds the database socket)`);
  }
  await chmod(socketDir, 0o700);
  return { socketDir, temporary: false };
}

/** A socket left by a process that died is removed; one that still answers belongs to a running process. */
async function removeStaleSocket(socketPath: string, dataPath: string): Promise<void> {
  const stats = await lstat(socketPath).catch(() => undefined);
  if (!stats) return;
  if (!stats.isSocket()) throw new Error(`${socketPath} is in the way of the database socket; remove it`);
  const live = await new Promise<boolean>((resolve) => {
    const probe = connect({ path: socketPath });
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (live) {
    throw new Error(
      `The embedded database in ${dataPath} is open in another process (the API or a CLI command); stop it first`,
    );
  }
  await unlink(socketPath);
}
