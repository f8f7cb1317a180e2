/** The tokens a cached value is filed under: its namespace's generation and its key's version. */
export interface VersionTokens {
  generation: string;
  version: string;
}

/** Where the tokens of one cache key live, and how its value's key is made from them. */
export interface CacheKeys {
  generation: string;
  version: string;
  /** The value's key is `${dataHead}${generation}.${version}${dataTail}` (tokens, not token keys). */
  dataHead: string;
  dataTail: string;
}

/** The key a value is filed under, for these tokens. */
export const dataKeyOf = (keys: CacheKeys, tokens: VersionTokens): string =>
  `${keys.dataHead}${tokens.generation}.${tokens.version}${keys.dataTail}`;

/** What one read found: the current tokens, and the value filed under them (null when none). */
export interface CacheRead {
  tokens: VersionTokens;
  value: string | null;
}

/**
 * Where `CacheService` keeps its entries: Redis, or this process's memory. Values are strings
 * (JSON); keys are relative to the store (the Redis store adds its prefix). Every method may
 * reject (Redis down, a command timed out); `CacheService` turns that into a miss.
 */
export interface CacheStore {
  /**
   * The current generation and version tokens and the value filed under them, in one round trip.
   * A missing token is created with `fresh` first, so a value can only ever be found under tokens
   * that are current.
   */
  read(keys: CacheKeys, fresh: () => string, ttlMs: number): Promise<CacheRead>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Replaces a generation or version token with a new one, never used before. */
  bump(key: string, token: string, ttlMs: number): Promise<void>;
  /** Resolves once the store can serve (or after `timeoutMs`, whichever comes first); never rejects. */
  ready(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

interface Entry {
  value: string;
  expiresAt: number;
}

/** Entries kept in memory at most; past it the oldest go first (losing a token only costs a miss). */
const MAX_MEMORY_ENTRIES = 10_000;

/**
 * The store of embedded mode (no REDIS_URL): one process, so its memory is the shared state. It
 * follows the Redis store's rules exactly (strings only, TTLs, tokens created when missing), so
 * `CacheService` behaves the same on both.
 */
export class MemoryCacheStore implements CacheStore {
  private readonly entries = new Map<string, Entry>();

  read(keys: CacheKeys, fresh: () => string, ttlMs: number): Promise<CacheRead> {
    const tokens = {
      generation: this.entry(keys.generation) ?? this.write(keys.generation, fresh(), ttlMs),
      version: this.entry(keys.version) ?? this.write(keys.version, fresh(), ttlMs),
    };
    return Promise.resolve({ tokens, value: this.entry(dataKeyOf(keys, tokens)) });
  }

  set(key: string, value: string, ttlMs: number): Promise<void> {
    this.write(key, value, ttlMs);
    return Promise.resolve();
  }

  bump(key: string, token: string, ttlMs: number): Promise<void> {
    this.write(key, token, ttlMs);
    return Promise.resolve();
  }

  ready(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.entries.clear();
    return Promise.resolve();
  }

  private entry(key: string): string | null {
    const entry = this.entries.get(key);
    if (entry === undefined) return null;
    if (entry.expiresAt > Date.now()) return entry.value;
    this.entries.delete(key);
    return null;
  }

  private write(key: string, value: string, ttlMs: number): string {
    // Re-inserted at the end: the Map's order is the order of writes, oldest first.
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: Date.now() + ttlMs });
    if (this.entries.size > MAX_MEMORY_ENTRIES) this.evict();
    return value;
  }

  private evict(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    for (const key of this.entries.keys()) {
      if (this.entries.size <= MAX_MEMORY_ENTRIES * 0.9) break;
      this.entries.delete(key);
    }
  }
}
