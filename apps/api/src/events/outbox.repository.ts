import { Injectable } from '@nestjs/common';
import { newId } from '../database/ids';
import { Transactions } from '../database/transactions';
import { OutboxEventEntity, type OutboxKind } from './outbox-event.entity';

export interface ClaimedMessage {
  id: string;
  kind: OutboxKind;
  name: string;
  jobId: string | null;
  payload: string;
  attempts: number;
}

export interface NewOutboxMessage {
  kind: OutboxKind;
  name: string;
  payload: string;
  /** Jobs: the queue's job id (defaults to the row id). */
  jobId?: string;
}

const CLAIMED_COLUMNS = `id, kind, name, job_id AS "jobId", payload, attempts`;

/** The `outbox_events` table: written inside use-case transactions, drained by the relay. */
@Injectable()
export class OutboxRepository {
  constructor(private readonly tx: Transactions) {}

  /**
   * Adds messages to the current transaction (or commits them at once outside one), already
   * claimed by this process for `leaseSeconds`: it delivers them right after the commit, without
   * claiming them first, and the other replicas' pollers leave them alone until the lease ends (a
   * process that dies before delivering them leaves them to the pollers then, as a claim would).
   */
  async add(messages: NewOutboxMessage[], leaseSeconds: number): Promise<ClaimedMessage[]> {
    const availableAt = new Date(Date.now() + leaseSeconds * 1000);
    const rows = messages.map((message) => {
      const id = newId();
      return Object.assign(new OutboxEventEntity(), {
        id,
        kind: message.kind,
        name: message.name,
        payload: message.payload,
        jobId: message.kind === 'job' ? (message.jobId ?? id) : null,
        dispatchedAt: null,
        attempts: 1,
        availableAt,
        lastError: null,
      });
    });
    await this.tx.insert(OutboxEventEntity, rows);
    return rows.map(({ id, kind, name, jobId, payload, attempts }) => ({ id, kind, name, jobId, payload, attempts }));
  }

  /**
   * Takes up to `limit` undispatched messages that are due for delivery. A claim is a lease: rows
   * locked by another replica are skipped, and a claimed row becomes due again after
   * `leaseSeconds` if its deliverer died.
   */
  async claim(options: { limit: number; leaseSeconds: number }): Promise<ClaimedMessage[]> {
    const [rows] = await this.tx.manager.query<[ClaimedMessage[], number]>(
      `UPDATE outbox_events SET attempts = attempts + 1, available_at = now() + make_interval(secs => $2)
        WHERE id IN (SELECT id FROM outbox_events
                      WHERE dispatched_at IS NULL AND available_at <= now()
                      ORDER BY available_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING ${CLAIMED_COLUMNS}`,
      [options.limit, options.leaseSeconds],
    );
    return rows;
  }

  /**
   * Dispatched jobs not reported done after `olderThanSeconds`: the reconciler checks each with
   * the queue (claimed for `leaseSeconds`, so replicas do not check the same ones).
   */
  async claimUnfinishedJobs(olderThanSeconds: number, limit: number, leaseSeconds: number): Promise<ClaimedMessage[]> {
    const [rows] = await this.tx.manager.query<[ClaimedMessage[], number]>(
      `UPDATE outbox_events SET dispatched_at = now() - make_interval(secs => $2) + make_interval(secs => $3)
        WHERE id IN (SELECT id FROM outbox_events
                      WHERE kind = 'job' AND dispatched_at <= now() - make_interval(secs => $2)
                      ORDER BY dispatched_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING ${CLAIMED_COLUMNS}`,
      [limit, olderThanSeconds, leaseSeconds],
    );
    return rows;
  }

  /** Delivered messages. Statements written here, as for every message a write makes (decision 121). */
  async delete(ids: string[]): Promise<void> {
    if (ids.length > 0) await this.tx.rawRows(`DELETE FROM outbox_events WHERE id IN (${placeholders(ids)})`, ids);
  }

  /** Jobs handed to the queue: kept until a worker reports them done. */
  async markDispatched(ids: string[]): Promise<void> {
    if (ids.length > 0) {
      await this.tx.rawRows(
        `UPDATE outbox_events SET dispatched_at = now(), updated_at = now() WHERE id IN (${placeholders(ids)})`,
        ids,
      );
    }
  }

  /** A job lost by the queue (Redis's data is gone): hand it over again. */
  async redispatch(id: string): Promise<void> {
    await this.tx.repository(OutboxEventEntity).update({ id }, { dispatchedAt: null, availableAt: new Date() });
  }

  /** A worker finished a job (done, or failed for good): its row has served. */
  async acknowledgeJob(name: string, jobId: string): Promise<void> {
    await this.tx.repository(OutboxEventEntity).delete({ kind: 'job', name, jobId });
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

/** `$1, $2, …` for a list of values. */
const placeholders = (values: readonly unknown[]): string => values.map((_, i) => `$${i + 1}`).join(', ');
