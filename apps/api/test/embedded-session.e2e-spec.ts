import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { EmbeddedPostgres } from '../src/database/embedded-postgres';

/**
 * Embedded mode's one PGlite session, shared by the pool's connections through the socket
 * (decision 109): each client's query, and each transaction block, has the session to itself.
 */
describe('embedded Postgres: one session, many clients', () => {
  let dataDir: string;
  let embedded: EmbeddedPostgres;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'atrium-session-'));
    embedded = await EmbeddedPostgres.start(dataDir, 12);
    const setup = new Client({ connectionString: embedded.url });
    await setup.connect();
    await setup.query('CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)');
    await setup.end();
  });

  afterAll(async () => {
    await embedded?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("answers every client's parameterized query with its own rows, beside transactions, however many run at once", async () => {
    // Statements of different shapes, as the API's requests send them side by side, and
    // transactions that hold the session while their client awaits other work (the queue backs up
    // behind them). One client's Parse must never meet another's Bind in the shared session.
    const pool = new Pool({ connectionString: embedded.url, max: 8, query_timeout: 10_000 });
    const transaction = async (id: number): Promise<unknown[]> => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('INSERT INTO notes (id, body) VALUES ($1, $2)', [id, 'draft']);
        await new Promise((resolve) => setTimeout(resolve, 1));
        await client.query('UPDATE notes SET body = $2 WHERE id = $1', [id, 'final']);
        await client.query('COMMIT');
        return (await client.query('SELECT body FROM notes WHERE id = $1', [id])).rows;
      } finally {
        client.release();
      }
    };
    const count = 1200;
    try {
      const answers = await Promise.allSettled(
        Array.from({ length: count }, async (_, i) => {
          switch (i % 4) {
            case 0:
              return (await pool.query('SELECT $1::int AS n', [i])).rows;
            case 1:
              return (await pool.query('SELECT $1::int + $2::int AS sum, $3::text AS tag', [i, 1, `t${i}`])).rows;
            case 2:
              return (await pool.query('SELECT count(*)::int AS c FROM generate_series(1, $1::int)', [(i % 40) + 1]))
                .rows;
            default:
              return transaction(1000 + i);
          }
        }),
      );
      const wrong = answers.flatMap((answer, i) => {
        const expected = [[{ n: i }], [{ sum: i + 1, tag: `t${i}` }], [{ c: (i % 40) + 1 }], [{ body: 'final' }]][
          i % 4
        ];
        if (answer.status === 'rejected') return [`#${i}: ${(answer.reason as Error).message}`];
        return JSON.stringify(answer.value) === JSON.stringify(expected)
          ? []
          : [`#${i}: ${JSON.stringify(answer.value)}`];
      });
      expect(wrong).toEqual([]);
      expect((await pool.query('SELECT count(*)::int AS n FROM notes WHERE id >= 1000')).rows).toEqual([
        { n: count / 4 },
      ]);
      await pool.query('DELETE FROM notes WHERE id >= 1000');
    } finally {
      await pool.end();
    }
  });

  it('keeps a transaction block to its client: others wait for its end and see only what it committed', async () => {
    const writer = new Client({ connectionString: embedded.url });
    const reader = new Client({ connectionString: embedded.url });
    await Promise.all([writer.connect(), reader.connect()]);
    try {
      await writer.query('BEGIN');
      await writer.query('INSERT INTO notes (id, body) VALUES ($1, $2)', [1, 'draft']);
      let read = false;
      const counted = reader.query('SELECT count(*)::int AS n FROM notes').then((result) => {
        read = true;
        return result.rows[0].n as number;
      });
      await writer.query('UPDATE notes SET body = $2 WHERE id = $1', [1, 'final']);
      expect(read).toBe(false);
      await writer.query('COMMIT');
      expect(await counted).toBe(1);
    } finally {
      await Promise.all([writer.end(), reader.end()]);
    }
  });

  it('rolls back the block of a client that disconnects inside it, and lets the others go on', async () => {
    const leaver = new Client({ connectionString: embedded.url });
    await leaver.connect();
    await leaver.query('BEGIN');
    await leaver.query('INSERT INTO notes (id, body) VALUES ($1, $2)', [2, 'never committed']);
    await leaver.end();

    const other = new Client({ connectionString: embedded.url });
    await other.connect();
    try {
      const { rows } = await other.query('SELECT id FROM notes ORDER BY id');
      expect(rows).toEqual([{ id: 1 }]);
    } finally {
      await other.end();
    }
  });
});
