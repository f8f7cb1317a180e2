import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../database/base.entity';

export type OutboxKind = 'event' | 'job';

/**
 * The transactional outbox (docs/ARCHITECTURE.md, "Events after commit"): one row per domain
 * event or follow-up job, written in the transaction that caused it. An event is delivered to the
 * in-process listeners after commit and deleted once they all succeeded; a job is handed to the
 * queue (`dispatched_at`) and deleted when a worker reports it done, so a job lost with Redis's
 * data is handed over again. Payloads are sealed (they may carry single-use tokens).
 */
@Entity('outbox_events')
export class OutboxEventEntity extends BaseEntity {
  @Column({ type: 'text', default: 'event' })
  kind: OutboxKind;

  /** The event name, or the job name. */
  @Column({ type: 'text' })
  name: string;

  /** For a job: its id in the queue (idempotency key), set when the row is written. */
  @Index('outbox_events_job_id_idx')
  @Column({ name: 'job_id', type: 'text', nullable: true })
  jobId: string | null;

  /** For a job: when it was last handed to the queue (null: not yet). */
  @Column({ name: 'dispatched_at', type: 'timestamptz', nullable: true })
  dispatchedAt: Date | null;

  @Column({ type: 'text' })
  payload: string;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Index('outbox_events_available_at_idx')
  @Column({ name: 'available_at', type: 'timestamptz', default: () => 'now()' })
  availableAt: Date;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;
}
