import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { MetricsService } from '../../modules/metrics/metrics.service';
import { type CacheKeys, type CacheStore, dataKeyOf } from './cache.store';

export const CACHE_STORE = Symbol('CACHE_STORE');

export interface CacheLoadOptions<T> {
  /**
   * How long a loaded value is served. A function sees the value (to end sooner, e.g. at an
   * expiry the value itself holds). Zero or less: the value is returned but not cached.
   */
  ttlSeconds: number | ((value: T) => number);
  /**
   * How the value is written to the store and read back (default: JSON). A value that is mostly
   * JSON text already (an answer kept serialized) can be kept as that text, not encoded again.
   */
  codec?: CacheCodec<T>;
}

/** A value's form in the store: `decode(encode(v))` must equal `v`. */
export interface CacheCodec<T> {
  encode(value: T): string;
  decode(text: string): T;
}

/**
 * Lifetime of generation and version tokens. A token that expires is simply replaced by a fresh
 * one on the next read (a miss), so this only bounds how long unused tokens take up space.
 */
const TOKEN_TTL_MS = 24 * 3600_000;
/** No value is cached for longer; also how long a failed invalidation is retried. */
const MAX_TTL_MS = TOKEN_TTL_MS;
const RETRY_INTERVAL_MS = 1_000;
/** Failed invalidations remembered per key; past this they widen to their whole namespace. */
const MAX_PENDING = 1_000;
/** Namespaces are names in code (and metric labels), never data. */
const NAMESPACE = /^[a-z][a-z0-9-]{0,39}$/;

const TOKEN_BYTES = 6;
/** Random bytes are drawn in batches: one system call per 256 tokens instead of one per token. */
let tokenPool = Buffer.alloc(0);
let tokenOffset = 0;

/** 48 random bits: a token nobody has used before (the tokens of a key are never reused). */
const freshToken = (): string => {
  if (tokenOffset + TOKEN_BYTES > tokenPool.length) {
    tokenPool = randomBytes(TOKEN_BYTES * 256);
    tokenOffset = 0;
  }
  tokenOffset += TOKEN_BYTES;
  return tokenPool.toString('base64url', tokenOffset - TOKEN_BYTES, tokenOffset);
};

const generationKey = (namespace: string): string => `${namespace}:g`;
const versionKey = (namespace: string, key: string): string => `${namespace}:v:${key}`;
const cacheKeys = (namespace: string, key: string): CacheKeys => ({
  generation: generationKey(namespace),
  version: versionKey(namespace, key),
  dataHead: `${namespace}:d:`,
  dataTail: `:${key}`,
});

interface PendingBump {
  namespace: string;
  /** Undefined for the whole namespace. */
  key: string | undefined;
  since: number;
}

type Operation = 'read' | 'write' | 'invalidate';

/**
 * The one cache of the API (docs/DECISIONS.md, "One cache"): namespaced, versioned, in Redis when
 * REDIS_URL is set and in this process's memory otherwise. Values are JSON (what goes in is what
 * a JSON round trip gives back, in both stores).
 *
 * A value is filed under its namespace's generation token and its key's version token, captured
 * BEFORE the loader runs. Invalidation replaces a token with a fresh one, so a value loaded from
 * data older than the invalidation can only land under tokens nobody reads again: a slow reader
 * cannot write stale data back over an invalidation (the stale-grant race).
 *
 * A cache outage is a miss, never an error or a wait: every store command is bounded by a short
 * timeout. An invalidation that cannot reach the store is retried every second until it lands,
 * and until then this process reads that key (or namespace) from the source.
 */
@Injectable()
export class CacheService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Cache');
  /** Loads in progress, by data key: concurrent misses of one version share one load. */
  private readonly loading = new Map<string, Promise<unknown>>();
  /** Invalidations that did not reach the store, by the token key they replace. */
  private readonly pending = new Map<string, PendingBump>();
  private retryTimer: NodeJS.Timeout | undefined;
  private retrying = false;
  private lastWarned = 0;

  constructor(
    @Inject(CACHE_STORE) private readonly store: CacheStore,
    private readonly metrics: MetricsService,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.store.ready(1_000);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.retryTimer);
    this.retryTimer = undefined;
    await this.store.close();
  }

  /**
   * The cached value of `key` in `namespace`, or what `loader` returns (then cached for
   * `ttlSeconds`). A loader's error is passed on and nothing is cached.
   */
  async getOrLoad<T>(
    namespace: string,
    key: string,
    loader: () => Promise<T>,
    options: CacheLoadOptions<T>,
  ): Promise<T> {
    assertNamespace(namespace);
    if (this.isPending(namespace, key)) return this.miss(namespace, loader);
    let target: string;
    let cached: string | null;
    try {
      // The tokens are read before the loader runs: see the class comment.
      const keys = cacheKeys(namespace, key);
      const read = await this.store.read(keys, freshToken, TOKEN_TTL_MS);
      target = dataKeyOf(keys, read.tokens);
      cached = read.value;
    } catch (error) {
      this.failed(namespace, 'read', error);
      return this.miss(namespace, loader);
    }
    if (cached !== null) {
      this.metrics.observeCache(namespace, 'hit');
      return options.codec ? options.codec.decode(cached) : (JSON.parse(cached) as T);
    }
    this.metrics.observeCache(namespace, 'miss');
    const inFlight = this.loading.get(target) as Promise<T> | undefined;
    if (inFlight) return inFlight;
    const load = this.loadAndStore(namespace, target, loader, options).finally(() => this.loading.delete(target));
    this.loading.set(target, load);
    return load;
  }

  /**
   * Drops `key` of `namespace` everywhere (every replica): the next read loads it again, and a
   * load that started before this call can no longer be cached where readers look. Call it
   * after the change is committed. Resolves to false when the store was unreachable (retried in
   * the background; this process bypasses the key meanwhile); never rejects.
   */
  invalidate(namespace: string, key: string): Promise<boolean> {
    assertNamespace(namespace);
    return this.bump([[versionKey(namespace, key), { namespace, key, since: Date.now() }]]);
  }

  /** Drops every key of each namespace, like `invalidate` for each of them; one round trip for all. */
  invalidateNamespace(...namespaces: [string, ...string[]]): Promise<boolean> {
    const since = Date.now();
    return this.bump(
      namespaces.map((namespace) => {
        assertNamespace(namespace);
        return [generationKey(namespace), { namespace, key: undefined, since }] as const;
      }),
    );
  }

  private async miss<T>(namespace: string, loader: () => Promise<T>): Promise<T> {
    this.metrics.observeCache(namespace, 'miss');
    return loader();
  }

  private async loadAndStore<T>(
    namespace: string,
    target: string,
    loader: () => Promise<T>,
    options: CacheLoadOptions<T>,
  ): Promise<T> {
    const value = await loader();
    const seconds = typeof options.ttlSeconds === 'function' ? options.ttlSeconds(value) : options.ttlSeconds;
    const ttlMs = Math.min(MAX_TTL_MS, Math.floor(seconds * 1000));
    if (!(ttlMs > 0) || value === undefined) return value;
    try {
      await this.store.set(target, options.codec ? options.codec.encode(value) : JSON.stringify(value), ttlMs);
    } catch (error) {
      this.failed(namespace, 'write', error);
    }
    return value;
  }

  private async bump(targets: ReadonlyArray<readonly [target: string, bump: PendingBump]>): Promise<boolean> {
    try {
      await this.store.bump(
        targets.map(([target]) => [target, freshToken()]),
        TOKEN_TTL_MS,
      );
      for (const [target] of targets) this.pending.delete(target);
      return true;
    } catch (error) {
      for (const [target, bump] of targets) {
        this.failed(bump.namespace, 'invalidate', error);
        this.remember(target, bump);
      }
      return false;
    }
  }

  private isPending(namespace: string, key: string): boolean {
    return (
      this.pending.size > 0 &&
      (this.pending.has(generationKey(namespace)) || this.pending.has(versionKey(namespace, key)))
    );
  }

  private remember(target: string, bump: PendingBump): void {
    // The earliest failure counts: values loaded before it may be served until it lands.
    if (!this.pending.has(target)) this.pending.set(target, bump);
    if (this.pending.size > MAX_PENDING) {
      for (const [pendingTarget, pendingBump] of [...this.pending]) {
        if (pendingBump.key === undefined) continue;
        this.pending.delete(pendingTarget);
        const wider = generationKey(pendingBump.namespace);
        const since = Math.min(pendingBump.since, this.pending.get(wider)?.since ?? Infinity);
        this.pending.set(wider, { namespace: pendingBump.namespace, key: undefined, since });
      }
    }
    if (this.retryTimer === undefined) {
      this.retryTimer = setInterval(() => void this.retryPending(), RETRY_INTERVAL_MS);
      this.retryTimer.unref();
    }
  }

  private async retryPending(): Promise<void> {
    if (this.retrying) return;
    this.retrying = true;
    try {
      for (const [target, bump] of [...this.pending]) {
        // Anything cached before the failed invalidation has expired by now.
        if (Date.now() - bump.since > MAX_TTL_MS) {
          this.pending.delete(target);
          continue;
        }
        try {
          await this.store.bump([[target, freshToken()]], TOKEN_TTL_MS);
          this.pending.delete(target);
        } catch {
          return; // still unreachable: the next tick tries again
        }
      }
    } finally {
      this.retrying = false;
      if (this.pending.size === 0) {
        clearInterval(this.retryTimer);
        this.retryTimer = undefined;
      }
    }
  }

  private failed(namespace: string, operation: Operation, error: unknown): void {
    this.metrics.observeCacheError(namespace, operation);
    // An outage fails every request's cache calls; one line every 30 s says enough.
    if (Date.now() - this.lastWarned > 30_000) {
      this.lastWarned = Date.now();
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn(`Cache ${operation} failed in "${namespace}" (served from the source instead): ${message}`);
    }
  }
}

function assertNamespace(namespace: string): void {
  if (!NAMESPACE.test(namespace)) throw new Error(`Invalid cache namespace "${namespace}"`);
}
