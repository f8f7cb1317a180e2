import { Check, Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../database/base.entity';

/**
 * The one row that identifies this installation: its id and install date survive restarts and
 * upgrades, and `bootCount` counts API process starts (so an operator sees restarts, and a user
 * can see that embedded data persisted).
 */
@Entity({ name: 'system_instance' })
@Check('CHK_system_instance_singleton', '"singleton"')
export class SystemInstanceEntity extends BaseEntity {
  /** Always true; the unique index on it makes a second row impossible. */
  @Index('UQ_system_instance_singleton', { unique: true })
  @Column({ type: 'boolean', default: true })
  singleton: boolean;

  @Column({ name: 'boot_count', type: 'integer', default: 0 })
  bootCount: number;

  @Column({ name: 'last_booted_at', type: 'timestamptz' })
  lastBootedAt: Date;
}
