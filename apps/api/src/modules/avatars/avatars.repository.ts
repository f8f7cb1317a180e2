import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface AvatarKeySwap {
  /** False when there is no active user with that id (deleted meanwhile). */
  found: boolean;
  /** The key the user had before; its image is now unreferenced. */
  previousKey: string | null;
}

/** The `users.avatar_key` column. */
@Injectable()
export class AvatarsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Sets an active user's avatar key and returns the one it replaced, in one statement: the row
   * lock makes concurrent uploads of one user queue up, so each sees (and frees) its predecessor's
   * key and no image is left behind or deleted while still in use.
   */
  /** Whether `key` is the avatar of an account that is not deleted. */
  async isCurrent(key: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM users WHERE avatar_key = $1 AND deleted_at IS NULL LIMIT 1`,
      [key],
    );
    return rows.length > 0;
  }

  async swapKey(userId: string, key: string | null): Promise<AvatarKeySwap> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const result = await runner.query(
        `WITH previous AS (
           SELECT id, avatar_key FROM users
           WHERE id = $1 AND deleted_at IS NULL AND is_active
           FOR UPDATE
         )
         UPDATE users SET avatar_key = $2, updated_at = now()
         FROM previous WHERE users.id = previous.id
         RETURNING previous.avatar_key AS "previousKey"`,
        [userId, key],
        true,
      );
      const rows = result.records as Array<{ previousKey: string | null }>;
      return rows.length === 0
        ? { found: false, previousKey: null }
        : { found: true, previousKey: rows[0].previousKey };
    } finally {
      await runner.release();
    }
  }
}
