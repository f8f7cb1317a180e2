import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../database/base.entity';

/**
 * A domain event written in the transaction that caused it, delivered to listeners after commit
 * and deleted once they all succeeded. Payloads are sealed (they may carry single-use tokens).
 */
@Entity('outbox_events')
export class OutboxEventEntity extends BaseEntity {
  @Column({ type: 'text' })
  name: string;

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
