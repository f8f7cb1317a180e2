import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** Postgres's protocol 3.0, as the second word of a startup message (which has no type byte). */
const PROTOCOL_3 = 196_608;
/** Frontend messages after which the backend answers ReadyForQuery: the client's exchange is over. */
const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const FUNCTION_CALL = 0x46; // 'F'
const TERMINATE = 0x58; // 'X'

interface Queued {
  client: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: Error) => void;
}

/** What PGLiteSocketServer's handlers call on the queue they are given (pglite-socket 0.2.17). */
interface SocketQueue {
  enqueue(client: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number>;
  getQueueLength(): number;
  clearQueueForHandler(client: number): void;
  clearTransactionIfNeeded(client: number): Promise<void>;
}

/**
 * The one PGlite session, shared by the socket's clients one exchange at a time (decision 109).
 *
 * `pglite-socket` queues each client's protocol messages one by one and keeps a client's turn only
 * inside a transaction block. An extended-protocol query (Parse, Bind, Describe, Execute, Sync) is
 * not in one between its messages, so two clients' queries interleaved in the shared session: B's
 * Parse replaced A's unnamed statement before A's Bind, and A failed ("bind message supplies 1
 * parameters, but prepared statement "" requires 3", "portal "" does not exist") or, when the
 * shapes matched, got B's rows (electric-sql/pglite#1046, open). And one failure inside PGlite
 * stopped the queue for good.
 *
 * Here a client keeps the session from its first message until the backend is ready for the next
 * query: after a Sync, a simple Query or a function call, outside a transaction block. Inside one,
 * it keeps it until the block ends (COMMIT or ROLLBACK, or its disconnection rolls it back).
 */
export class PGliteSessionQueue implements SocketQueue {
  private readonly queue: Queued[] = [];
  private running = false;
  /** The client whose exchange (or transaction block) is under way; null when the session is free. */
  private owner: number | null = null;
  /** The client whose message PGlite is running now. */
  private executing: number | null = null;
  /** Clients that disconnected while PGlite ran their message: released once it is done. */
  private readonly gone = new Set<number>();

  constructor(private readonly db: PGlite) {}

  /** Puts this queue in place of the socket server's own, before it starts accepting connections. */
  static install(server: PGLiteSocketServer, db: PGlite): PGliteSessionQueue {
    const internals = server as unknown as { queryQueue?: Partial<SocketQueue> };
    if (typeof internals.queryQueue?.enqueue !== 'function') {
      // A pglite-socket whose internals moved: refuse to run with its interleaving queue.
      throw new Error('pglite-socket changed: its query queue cannot be replaced (see docs/DECISIONS.md, 109)');
    }
    const queue = new PGliteSessionQueue(db);
    internals.queryQueue = queue;
    return queue;
  }

  enqueue(client: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ client, message, onData, resolve, reject });
      void this.drain();
    });
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  /** A client that disconnected: what it still had queued is dropped. */
  clearQueueForHandler(client: number): void {
    for (let i = this.queue.length - 1; i >= 0; i -= 1) {
      const queued = this.queue[i];
      if (queued.client !== client) continue;
      this.queue.splice(i, 1);
      queued.reject(new Error('Handler disconnected'));
    }
  }

  /** A client that disconnected mid-exchange or inside a transaction block gives the session back, rolled back. */
  async clearTransactionIfNeeded(client: number): Promise<void> {
    if (this.executing === client) {
      this.gone.add(client);
      return;
    }
    if (this.owner !== client) return;
    await this.release();
    await this.drain();
  }

  private async release(): Promise<void> {
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    this.owner = null;
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const next = this.owner === null ? 0 : this.queue.findIndex((queued) => queued.client === this.owner);
        // The session's owner has nothing queued yet: the others wait for its next message.
        if (next === -1 || this.queue.length === 0) return;
        const [queued] = this.queue.splice(next, 1);
        let bytes = 0;
        let failure: Error | undefined;
        this.executing = queued.client;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(queued.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                queued.onData(data);
              },
            }),
          );
        } catch (error) {
          // PGlite itself failed (a query's error is an answer, not a throw): this client's
          // exchange is over (its transaction block, if any, is still its own), and the others go on.
          failure = error instanceof Error ? error : new Error(String(error));
        } finally {
          this.executing = null;
        }
        const over = failure !== undefined || endsExchange(queued.message);
        this.owner = over && !this.db.isInTransaction() ? null : queued.client;
        if (failure) queued.reject(failure);
        else queued.resolve(bytes);
        // Its client disconnected meanwhile: what it held is rolled back and given back.
        if (this.gone.delete(queued.client) && this.owner === queued.client) await this.release();
      }
    } finally {
      this.running = false;
    }
  }
}

/** Whether the backend answers this message with ReadyForQuery (a startup message included). */
function endsExchange(message: Uint8Array): boolean {
  const type = message[0];
  if (type === SYNC || type === QUERY || type === FUNCTION_CALL || type === TERMINATE) return true;
  // A startup message: its length (no type byte: every message type is a letter), then the version.
  return (
    type === 0 && message.length >= 8 && new DataView(message.buffer, message.byteOffset, 8).getInt32(4) === PROTOCOL_3
  );
}
