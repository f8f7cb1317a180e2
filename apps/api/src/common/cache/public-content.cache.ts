import { Injectable } from '@nestjs/common';
import { Transactions } from '../../database/transactions';
import { CacheService } from './cache.service';

/** Published posts as lists and by address, for everyone (docs/DECISIONS.md, "Public content cache"). */
export const PUBLIC_POSTS_CACHE = 'posts-public';
/** RSS, JSON Feed and the sitemap. */
export const FEEDS_CACHE = 'feeds';
/**
 * How long a public response is served without a change. Changes end it at once (below); this
 * only bounds the life of entries nobody asks for again.
 */
export const PUBLIC_CONTENT_TTL_SECONDS = 300;

/**
 * The caches of what readers see — post lists, posts, feeds — and their one invalidation: any
 * change a reader could notice (a post, its category or tags, a comment count, an author's name or
 * picture) drops them all, in every replica (a new generation token in Redis), once its
 * transaction has committed. Whole namespaces rather than single keys: a post shows up in
 * countless filtered lists, and writes are rare next to reads.
 */
@Injectable()
export class PublicContentCache {
  constructor(
    private readonly cache: CacheService,
    private readonly transactions: Transactions,
  ) {}

  /** Call inside (or after) the transaction that made the change. */
  changed(): Promise<void> {
    return this.transactions.afterCommit(async () => {
      // Both generations in one round trip (a comment approved pays it on every write).
      await this.cache.invalidateNamespace(PUBLIC_POSTS_CACHE, FEEDS_CACHE);
    });
  }
}
