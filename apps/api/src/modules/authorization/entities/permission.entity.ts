import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity } from '../../../database/base.entity';
import { RoleEntity } from './role.entity';

/**
 * One permission of a role: `resource:action`, optionally limited by CASL conditions such as
 * `{ "authorId": "${user.id}" }` (placeholders are filled in per user).
 */
@Entity('permissions')
export class PermissionEntity extends BaseEntity {
  @Index('permissions_role_id_idx')
  @Column({ name: 'role_id', type: 'uuid' })
  roleId: string;

  @ManyToOne(() => RoleEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'role_id' })
  role?: RoleEntity;

  @Column({ type: 'text' })
  resource: string;

  @Column({ type: 'text' })
  action: string;

  @Column({ type: 'jsonb', nullable: true })
  conditions: Record<string, unknown> | null;
}
