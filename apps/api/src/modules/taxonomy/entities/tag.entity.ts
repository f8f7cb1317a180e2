import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../database/base.entity';

/** A tag. `usage_count` is kept exact by every write that adds or removes it from a post. */
@Entity('tags')
// "Popular": most used first, then by name.
@Index('tags_popular_idx', ['usageCount', 'name'])
export class TagEntity extends BaseEntity {
  @Column({ type: 'text' })
  name: string;

  @Index('tags_slug_key', { unique: true })
  @Column({ type: 'text' })
  slug: string;

  /** `#rrggbb`, or null for the default. */
  @Column({ type: 'text', nullable: true })
  color: string | null;

  /** Posts (not deleted, whatever their status) that carry the tag. */
  @Column({ name: 'usage_count', type: 'integer', default: 0 })
  usageCount: number;
}
