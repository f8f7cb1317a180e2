import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity } from '../../database/base.entity';
import { UserEntity } from '../identity/entities/user.entity';

export const EXPORT_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

/** A data export a user asked for: built by a job into a zip under DATA_DIR/exports, downloadable for 24 h. */
@Entity('data_exports')
@Check('CHK_data_exports_status', `"status" IN ('queued', 'running', 'done', 'failed')`)
@Index('data_exports_user_created_idx', ['userId', 'createdAt'])
export class DataExportEntity extends BaseEntity {
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ type: 'text', default: 'queued' })
  status: ExportStatus;

  /** 0–100. */
  @Column({ type: 'int', default: 0 })
  progress: number;

  @Column({
    type: 'bigint',
    nullable: true,
    transformer: { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) },
  })
  bytes: number | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  /** The download works until then (24 h after it was built). */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;
}
