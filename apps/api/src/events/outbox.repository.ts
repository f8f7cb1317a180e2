import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { newId } from '../database/ids';
import { insertable, Transactions } from '../database/transactions';
import { OutboxEventEntity } from './outbox-event.entity';

export interface ClaimedEvent {
  id: string;
  name: string;
  payload: string;
  attempts: number;
}

/** The `outbox_events` table: written inside use-case transactions, drained by the relay. */
@Injectable()
export class OutboxRepository {
  constructor(private readonly tx: Transactions) {}

  /** Adds events to the current transaction (or commits them at once outside one). */
  async add(events: Array<{ name: string; payload: string }>): Promise<string[]> {
    const rows = events.map((event) =>
      Object.assign(new OutboxEventEntity(), { id: newId(), ...event, attempts: 0, lastError: null }),
    );
    await this.tx.repository(OutboxEventEntity).insert(rows.map(insertable));
    return rows.map((row) => row.id);
  }

  /**
   * Takes events for delivery: the given ids, or (without ids) up to `limit` that are due. A claim
   * is a lease: rows locked by another replica are skipped, and a claimed row becomes due again
   * after `leaseSeconds` if its deliverer died.
   */
  async claim(options: { ids?: string[]; limit: number; leaseSeconds: number }): Promise<ClaimedEvent[]> {
    const filter = options.ids ? 'id = ANY($3::uuid[])' : 'true';
    const result = await this.tx.manager.query<[ClaimedEvent[], number]>(
      `UPDATE outbox_events SET attempts = attempts + 1, available_at = now() + make_interval(secs => $2)
        WHERE id IN (SELECT id FROM outbox_events WHERE available_at <= now() AND ${filter}
                      ORDER BY available_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING id, name, payload, attempts`,
      options.ids ? [options.limit, options.leaseSeconds, options.ids] : [options.limit, options.leaseSeconds],
    );
    // UPDATE … RETURNING answers [rows, affected] through TypeORM's Postgres driver.
    return result[0];
  }

  async delete(ids: string[]): Promise<void> {
    if (ids.length > 0) await this.tx.repository(OutboxEventEntity).delete({ id: In(ids) });
  }

  async retryLater(id: string, delayMs: number, error: string): Promise<void> {
    await this.tx.manager.query(
      `UPDATE outbox_events SET available_at = now() + make_interval(secs => $2), last_error = $3 WHERE id = $1`,
      [id, delayMs / 1000, error.slice(0, 1000)],
    );
  }

  async pending(): Promise<number> {
    return this.tx.repository(OutboxEventEntity).count();
  }
}
