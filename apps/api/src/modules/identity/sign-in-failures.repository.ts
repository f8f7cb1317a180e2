import { Injectable } from '@nestjs/common';
import { Transactions } from '../../database/transactions';

/** `sign_in_failures`: atomic counters per lockout key (LockoutService decides what they mean). */
@Injectable()
export class SignInFailuresRepository {
  constructor(private readonly tx: Transactions) {}

  /**
   * Counts one attempt under `key` in a window of `windowSeconds` (a new window starts at 1) and
   * returns its number; `null` while the key is locked. One statement: parallel attempts each get
   * their own number.
   */
  async reserve(key: string, windowSeconds: number): Promise<number | null> {
    const rows = await this.tx.manager.query<Array<{ failures: number }>>(
      `INSERT INTO sign_in_failures AS f (key, failures, window_started_at) VALUES ($1, 1, now())
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN f.window_started_at <= now() - make_interval(secs => $2) THEN 1 ELSE f.failures + 1 END,
         window_started_at = CASE WHEN f.window_started_at <= now() - make_interval(secs => $2)
                                  THEN now() ELSE f.window_started_at END,
         locked_until = NULL
       WHERE f.locked_until IS NULL OR f.locked_until <= now()
       RETURNING failures`,
      [key, windowSeconds],
    );
    return rows.length === 0 ? null : rows[0].failures;
  }

  /** Gives back one reserved attempt. */
  async release(key: string): Promise<void> {
    await this.tx.manager.query(`UPDATE sign_in_failures SET failures = failures - 1 WHERE key = $1 AND failures > 0`, [
      key,
    ]);
  }

  /** Seconds until the key's lock ends; 0 when it is not locked. */
  async lockedForSeconds(key: string): Promise<number> {
    const [row] = await this.tx.manager.query<Array<{ seconds: number | null }>>(
      `SELECT ceil(extract(epoch FROM locked_until - now()))::int AS seconds FROM sign_in_failures WHERE key = $1`,
      [key],
    );
    return Math.max(0, row?.seconds ?? 0);
  }

  /** Locks the key for `minutes`; its count starts again after. */
  async lock(key: string, minutes: number): Promise<void> {
    await this.tx.manager.query(
      `UPDATE sign_in_failures SET locked_until = now() + make_interval(mins => $2), failures = 0, window_started_at = now()
        WHERE key = $1`,
      [key, minutes],
    );
  }

  /** Forgets the keys (count and lock). */
  async clear(keys: string[]): Promise<void> {
    await this.tx.manager.query(`DELETE FROM sign_in_failures WHERE key = ANY($1)`, [keys]);
  }

  /** Forgets every key of a subject: `<subject>` and each `<subject>|<ip>`. */
  async clearSubject(subject: string): Promise<void> {
    await this.tx.manager.query(`DELETE FROM sign_in_failures WHERE key = $1 OR starts_with(key, $2)`, [
      subject,
      `${subject}|`,
    ]);
  }

  /** Rows whose window and lock are both over: nothing left to remember. */
  async purgeExpired(windowSeconds: number): Promise<number> {
    const [, count] = await this.tx.manager.query<[unknown, number]>(
      `DELETE FROM sign_in_failures
        WHERE window_started_at <= now() - make_interval(secs => $1) AND (locked_until IS NULL OR locked_until <= now())`,
      [windowSeconds],
    );
    return count;
  }
}
