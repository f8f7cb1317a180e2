import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { PublicContentCache } from '../../../common/cache';
import { Transactions } from '../../../database/transactions';
import { JobRegistry } from '../../../jobs/job.registry';
import { MemoryViewBuffer, type ViewBuffer } from './view-buffer';

export const VIEW_BUFFER = Symbol('VIEW_BUFFER');

/** Applied batch ids are kept this long (a flush left half-done is finished well within it). */
const BATCH_MEMORY = '7 days';

/** Who read a post, for counting them once: their id when signed in, else a hash of address and browser. */
export function viewerKey(userId: string | null, ip: string, userAgent: string | undefined): string {
  if (userId) return `u:${userId}`;
  // Never the address itself: a truncated hash is enough to tell readers apart for half an hour.
  return `a:${createHash('sha256')
    .update(`${ip}\n${userAgent ?? ''}`)
    .digest('base64url')
    .slice(0, 22)}`;
}

/**
 * View counts (`viewCount`): a published post's reads, once per reader per half hour, buffered
 * (Redis, or memory in embedded mode) and written in batches by the `views.flush` job every few
 * seconds — one UPDATE for every post read since, instead of a row lock per read.
 */
@Injectable()
export class ViewsService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Views');
  private lastWarned = 0;

  constructor(
    @Inject(VIEW_BUFFER) private readonly buffer: ViewBuffer,
    private readonly transactions: Transactions,
    private readonly publicContent: PublicContentCache,
    registry: JobRegistry,
  ) {
    registry.handle('views.flush', async () => {
      await this.flush();
    });
  }

  /** Embedded mode keeps views in memory: they are written before the process ends (before the database closes). */
  async beforeApplicationShutdown(): Promise<void> {
    if (!(this.buffer instanceof MemoryViewBuffer)) return;
    await this.flush().catch((error: Error) => this.logger.warn(`Views not written at shutdown: ${error.message}`));
  }

  /** Counts a read. A buffer that cannot be reached loses this one view, never the read itself. */
  async record(postId: string, viewer: string): Promise<void> {
    try {
      await this.buffer.record(postId, viewer);
    } catch (error) {
      if (Date.now() - this.lastWarned > 60_000) {
        this.lastWarned = Date.now();
        this.logger.warn(`A view could not be counted (${(error as Error).message})`);
      }
    }
  }

  /**
   * Writes the buffered views: first a batch an earlier flush left behind (it died, or the database
   * did not answer), then the views counted since. Each batch is applied once: its id is recorded
   * in the same transaction. Returns the number of views written.
   */
  async flush(): Promise<number> {
    let written = 0;
    for (let round = 0; round < 2; round++) {
      const batch = await this.buffer.take(randomUUID());
      if (!batch) break;
      const ids = batch.counts.map(([postId]) => postId);
      const counts = batch.counts.map(([, views]) => views);
      const applied = await this.transactions.run(async () => {
        const [{ fresh }] = await this.transactions.manager.query<Array<{ fresh: number }>>(
          `WITH added AS (INSERT INTO post_view_batches (id) VALUES ($1) ON CONFLICT (id) DO NOTHING RETURNING id)
           SELECT count(*)::int AS fresh FROM added`,
          [batch.id],
        );
        if (fresh === 0) return false;
        await this.transactions.manager.query(
          `UPDATE posts p SET view_count = p.view_count + v.views
             FROM unnest($1::uuid[], $2::int[]) AS v(id, views) WHERE p.id = v.id`,
          [ids, counts],
        );
        await this.transactions.manager.query(
          `DELETE FROM post_view_batches WHERE applied_at < now() - interval '${BATCH_MEMORY}'`,
        );
        // Counts show in lists and posts (and order "most read").
        await this.publicContent.changed();
        return true;
      });
      await this.buffer.done(batch.id);
      if (applied) written += counts.reduce((sum, n) => sum + n, 0);
    }
    return written;
  }
}
