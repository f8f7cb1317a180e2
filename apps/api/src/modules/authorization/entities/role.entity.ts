import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../database/base.entity';

/** A named set of permissions with a level: nobody creates, edits or grants a role at or above their own. */
@Entity('roles')
export class RoleEntity extends BaseEntity {
  @Index('roles_name_key', { unique: true })
  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ type: 'integer' })
  level: number;

  /** admin, editor, author, user: created by migration, never deleted. */
  @Column({ name: 'is_system', type: 'boolean', default: false })
  isSystem: boolean;
}
