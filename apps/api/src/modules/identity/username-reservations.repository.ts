import { Injectable } from '@nestjs/common';
import { Transactions } from '../../database/transactions';

/** `username_reservations`: usernames given up by a change, kept for their former owner a while. */
@Injectable()
export class UsernameReservationsRepository {
  constructor(private readonly tx: Transactions) {}

  /** The account a username is reserved for now, or null. */
  async holder(usernameNormalized: string): Promise<string | null> {
    const [row] = await this.tx.manager.query<Array<{ user_id: string }>>(
      `SELECT user_id FROM username_reservations WHERE username_normalized = $1 AND until > now()`,
      [usernameNormalized],
    );
    return row?.user_id ?? null;
  }

  /** Reserves a username for its former owner for `days` (replacing any older, expired reservation). */
  async reserve(usernameNormalized: string, userId: string, days: number): Promise<void> {
    await this.tx.manager.query(
      `INSERT INTO username_reservations (username_normalized, user_id, until)
       VALUES ($1, $2, now() + make_interval(days => $3))
       ON CONFLICT (username_normalized) DO UPDATE SET user_id = EXCLUDED.user_id, until = EXCLUDED.until`,
      [usernameNormalized, userId, days],
    );
  }

  /** Ends a reservation (its owner took the name back). */
  async release(usernameNormalized: string): Promise<void> {
    await this.tx.manager.query(`DELETE FROM username_reservations WHERE username_normalized = $1`, [
      usernameNormalized,
    ]);
  }
}
