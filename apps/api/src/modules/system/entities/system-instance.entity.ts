import { Check, Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../database/base.entity';

/**
 * The one row that identifies this installation: its id and install date survive restarts and
 * upgrades, and `bootCount` counts API process starts (so an operator sees restarts, and a user
 * can see that embedded data persisted), the site's name and the pending first-run setup codes.
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

  /** The name the first admin gave the site at setup (`GET /info`); null: none given. */
  @Column({ name: 'site_name', type: 'varchar', length: 100, nullable: true })
  siteName: string | null;

  /**
   * SHA-256 (hex) of the one-time setup codes printed at start-up while no admin exists
   * (production only; the codes themselves are never stored). Emptied once setup is done.
   */
  @Column({ name: 'setup_code_hashes', type: 'text', array: true, default: () => "'{}'" })
  setupCodeHashes: string[];
}
