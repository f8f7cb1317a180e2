import type Redis from 'ioredis';
import { rethrow, withRedis } from '../../../redis/redis-guard';
import { TurnBatch } from '../../../redis/turn-batch';

/** A reader counts once per post in this long (`viewCount`). */
export const VIEW_DEDUPE_MS = 30 * 60_000;

/** Views counted since the last flush, moved aside under an id so the database applies them once. */
export interface ViewBatch {
  id: string;
  counts: Array<[postId: string, views: number]>;
}

/**
 * Where views wait for the flush job (docs/DECISIONS.md, "Views"): Redis with REDIS_URL, this
 * process's memory without. A batch stays in the buffer until the database has it: a flush that
 * dies half-way is finished by the next one, and the batch id keeps it from being applied twice.
 */
export interface ViewBuffer {
  /** Counts `viewer`'s read of `postId`, unless they read it in the last VIEW_DEDUPE_MS; true when counted. */
  record(postId: string, viewer: string): Promise<boolean>;
  /**
   * The batch to write: the one an unfinished flush left behind, or else the views counted since
   * (filed under `freshId`); null when there is nothing to write.
   */
  take(freshId: string): Promise<ViewBatch | null>;
  /** The database holds the batch: it leaves the buffer. */
  done(id: string): Promise<void>;
}

const BATCH_FIELD = '~batch';

/**
 * The reads of one turn of the event loop, counted together. KEYS: the pending counts, then each
 * read's viewer mark. ARGV: dedupe ms, then each read's post id. Returns 1 (counted) or 0 per read.
 */
const RECORD_SCRIPT = `
local counted = {}
for i = 2, #KEYS do
  if redis.call('SET', KEYS[i], '1', 'NX', 'PX', ARGV[1]) then
    redis.call('HINCRBY', KEYS[1], ARGV[i], 1)
    counted[i - 1] = 1
  else
    counted[i - 1] = 0
  end
end
return counted
`;

/** Reads sent in one script call at most (the script holds Redis while it runs). */
export const MAX_READS_PER_CALL = 256;

/** KEYS: pending, flushing. ARGV: a fresh batch id. Moves pending aside unless a batch is already there. */
const TAKE_SCRIPT = `
if redis.call('EXISTS', KEYS[2]) == 0 then
  if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
  redis.call('RENAME', KEYS[1], KEYS[2])
  redis.call('HSET', KEYS[2], '${BATCH_FIELD}', ARGV[1])
end
return redis.call('HGETALL', KEYS[2])
`;

/** KEYS: flushing. ARGV: the batch id written. */
const DONE_SCRIPT = `
if redis.call('HGET', KEYS[1], '${BATCH_FIELD}') == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

interface ViewCommands {
  /** `keys`: the pending counts and the marks; `args`: dedupe ms and the post ids (RECORD_SCRIPT). */
  atriumViewRecord(numberOfKeys: number, ...keysThenArgs: Array<string | number>): Promise<number[]>;
  atriumViewTake(pending: string, flushing: string, freshId: string): Promise<string[]>;
  atriumViewDone(flushing: string, id: string): Promise<number>;
}

/**
 * Every replica and the worker share it; each command is one round trip (scripts called by hash).
 * The reads a process counts in one turn of its event loop go to Redis in one call
 * (docs/DECISIONS.md 125): under load, many readers' views share a round trip.
 */
export class RedisViewBuffer implements ViewBuffer {
  private readonly commands: ViewCommands;
  private readonly reads: TurnBatch<[mark: string, postId: string], boolean>;

  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
  ) {
    // The number of keys varies with the batch: it goes first in each call.
    client.defineCommand('atriumViewRecord', { lua: RECORD_SCRIPT });
    client.defineCommand('atriumViewTake', { numberOfKeys: 2, lua: TAKE_SCRIPT });
    client.defineCommand('atriumViewDone', { numberOfKeys: 1, lua: DONE_SCRIPT });
    this.commands = client as unknown as ViewCommands;
    this.reads = new TurnBatch(async (reads) => {
      const keys = [this.key('pending'), ...reads.map(([mark]) => mark)];
      const args = [VIEW_DEDUPE_MS, ...reads.map(([, postId]) => postId)];
      const counted = await this.guarded((commands) => commands.atriumViewRecord(keys.length, ...keys, ...args));
      return counted.map((one) => one === 1);
    }, MAX_READS_PER_CALL);
  }

  /**
   * Behind the shared client's deadline and breaker: a frozen Redis costs a reader one deadline per
   * two seconds, not one per post read. A failure is thrown; ViewsService logs it (a view not counted).
   */
  private guarded<T>(command: (commands: ViewCommands) => Promise<T>): Promise<T> {
    return withRedis(this.client, () => command(this.commands), rethrow);
  }

  private key(name: string): string {
    return `${this.prefix}views:${name}`;
  }

  /** A failed call fails each of its reads (ViewsService logs it once). */
  record(postId: string, viewer: string): Promise<boolean> {
    return this.reads.add([this.key(`seen:${postId}:${viewer}`), postId]);
  }

  async take(freshId: string): Promise<ViewBatch | null> {
    const flat = await this.guarded((commands) =>
      commands.atriumViewTake(this.key('pending'), this.key('flushing'), freshId),
    );
    let id: string | undefined;
    const counts: ViewBatch['counts'] = [];
    for (let i = 0; i < flat.length; i += 2) {
      if (flat[i] === BATCH_FIELD) id = flat[i + 1];
      else counts.push([flat[i], Number(flat[i + 1])]);
    }
    return id === undefined ? null : { id, counts };
  }

  async done(id: string): Promise<void> {
    await this.guarded((commands) => commands.atriumViewDone(this.key('flushing'), id));
  }
}

/** Readers remembered at most; past this the oldest marks go first (they may count again). */
const MAX_MARKS = 200_000;

/** Embedded mode (one process): the same behaviour in memory; views not yet flushed end with the process. */
export class MemoryViewBuffer implements ViewBuffer {
  /** Expiry of each viewer's mark, oldest first. */
  private readonly marks = new Map<string, number>();
  private pending = new Map<string, number>();
  private flushing: ViewBatch | null = null;

  record(postId: string, viewer: string): Promise<boolean> {
    const now = Date.now();
    const mark = `${postId}:${viewer}`;
    if ((this.marks.get(mark) ?? 0) > now) return Promise.resolve(false);
    this.marks.delete(mark);
    this.marks.set(mark, now + VIEW_DEDUPE_MS);
    if (this.marks.size > MAX_MARKS) this.forget(now);
    this.pending.set(postId, (this.pending.get(postId) ?? 0) + 1);
    return Promise.resolve(true);
  }

  private forget(now: number): void {
    for (const [mark, expiry] of this.marks) {
      if (expiry <= now || this.marks.size > MAX_MARKS * 0.9) this.marks.delete(mark);
      else break;
    }
  }

  take(freshId: string): Promise<ViewBatch | null> {
    if (!this.flushing && this.pending.size > 0) {
      this.flushing = { id: freshId, counts: [...this.pending] };
      this.pending = new Map();
    }
    return Promise.resolve(this.flushing);
  }

  done(id: string): Promise<void> {
    if (this.flushing?.id === id) this.flushing = null;
    return Promise.resolve();
  }
}
