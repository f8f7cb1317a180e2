import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Real Postgres (PGlite, WebAssembly) in this process, persisted under `<dataDir>/pg` and served
 * on a loopback port so TypeORM and `pg` reach it exactly as they reach a Postgres server.
 * PGlite is a single session behind the socket server's query multiplexer: it is for trying
 * Atrium, development and demos on one machine, never for production.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    readonly url: string,
    readonly dataPath: string,
  ) {}

  static async start(dataDir: string, maxConnections: number): Promise<EmbeddedPostgres> {
    const dataPath = join(dataDir, 'pg');
    // PGlite does not create missing parent folders.
    await mkdir(dataPath, { recursive: true });
    const db = await PGlite.create(dataPath);
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
    await server.start();
    const [, port] = server.getServerConn().split(':');
    return new EmbeddedPostgres(db, server, `postgres://postgres@127.0.0.1:${port}/postgres`, dataPath);
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
  }
}
