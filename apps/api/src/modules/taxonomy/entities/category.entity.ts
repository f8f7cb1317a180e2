import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity } from '../../../database/base.entity';

/**
 * A category: posts are filed under one. Categories form a tree (`parent_id`); the service
 * refuses a move that would make a cycle, and the database one that makes a category its own parent.
 */
@Entity('categories')
@Check('CHK_categories_not_own_parent', `"parent_id" IS DISTINCT FROM "id"`)
export class CategoryEntity extends BaseEntity {
  @Column({ type: 'text' })
  name: string;

  @Index('categories_slug_key', { unique: true })
  @Column({ type: 'text' })
  slug: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Index('categories_parent_id_idx')
  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId: string | null;

  // A category with children is not deleted (the service moves them first, or refuses).
  @ManyToOne(() => CategoryEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_id' })
  parent?: CategoryEntity | null;

  /** Order among siblings, lowest first (then by name). */
  @Column({ name: 'sort_order', type: 'integer', default: 0 })
  sortOrder: number;
}
