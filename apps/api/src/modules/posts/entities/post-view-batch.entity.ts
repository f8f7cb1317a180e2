import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A batch of buffered views the database has applied (ViewsService.flush): recorded in the same
 * transaction as the counts, so a batch finished again after a crash is not counted twice.
 */
@Entity('post_view_batches')
@Index('post_view_batches_applied_at_idx', ['appliedAt'])
export class PostViewBatchEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'applied_at', type: 'timestamptz', default: () => 'now()' })
  appliedAt: Date;
}
