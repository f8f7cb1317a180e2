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
  /** Replaces generation or version tokens with new ones, never used before: all of them in one round trip. */
  bump(tokens: ReadonlyArray<readonly [key: string, token: string]>, ttlMs: number): Promise<void>;
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
 * Characters (keys and values) kept in memory at most, about 16 MB: a page of the feed is ~15 000
 * characters, so the entry count alone let every cursor a reader followed pile up to ~150 MB of
 * the embedded API's heap (decision 107). Past it, too, the oldest go first.
 */
export const MAX_MEMORY_CHARS = 16 * 1024 * 1024;
/** What an entry costs beside its characters (the Map's slot, the entry object), in characters. */
const ENTRY_OVERHEAD_CHARS = 64;

/**
 * The store of embedded mode (no REDIS_URL): one process, so its memory is the shared state. It
 * follows the Redis store's rules exactly (strings only, TTLs, tokens created when missing), so
 * `CacheService` behaves the same on both.
 */
export class MemoryCacheStore implements CacheStore {
  private readonly entries = new Map<string, Entry>();
  /** The characters of every entry kept, with ENTRY_OVERHEAD_CHARS each. */
  private chars = 0;

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

  bump(tokens: ReadonlyArray<readonly [key: string, token: string]>, ttlMs: number): Promise<void> {
    for (const [key, token] of tokens) this.write(key, token, ttlMs);
    return Promise.resolve();
  }

  ready(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.entries.clear();
    this.chars = 0;
    return Promise.resolve();
  }

  /** How many characters the entries kept hold (keys, values and each entry's overhead). */
  get size(): { entries: number; chars: number } {
    return { entries: this.entries.size, chars: this.chars };
  }

  private entry(key: string): string | null {
    const entry = this.entries.get(key);
    if (entry === undefined) return null;
    if (entry.expiresAt > Date.now()) return entry.value;
    this.remove(key, entry);
    return null;
  }

  private write(key: string, value: string, ttlMs: number): string {
    // Re-inserted at the end: the Map's order is the order of writes, oldest first.
    const previous = this.entries.get(key);
    if (previous !== undefined) this.remove(key, previous);
    this.entries.set(key, { value, expiresAt: Date.now() + ttlMs });
    this.chars += charsOf(key, value);
    if (this.entries.size > MAX_MEMORY_ENTRIES || this.chars > MAX_MEMORY_CHARS) this.evict();
    return value;
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.chars -= charsOf(key, entry.value);
  }

  /** The expired entries, then the oldest, until both the count and the characters are at 90 % of their bound. */
  private evict(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.remove(key, entry);
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= MAX_MEMORY_ENTRIES * 0.9 && this.chars <= MAX_MEMORY_CHARS * 0.9) break;
      this.remove(key, entry);
    }
  }
}

const charsOf = (key: string, value: string): number => key.length + value.length + ENTRY_OVERHEAD_CHARS;
