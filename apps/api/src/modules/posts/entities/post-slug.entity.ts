import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity } from '../../../database/base.entity';
import { PostEntity } from './post.entity';

/** A slug a post had before: it keeps answering, with `301` to the post's current address. */
@Entity('post_slugs')
export class PostSlugEntity extends BaseEntity {
  @Index('post_slugs_slug_key', { unique: true })
  @Column({ type: 'text' })
  slug: string;

  @Index('post_slugs_post_id_idx')
  @Column({ name: 'post_id', type: 'uuid' })
  postId: string;

  @ManyToOne(() => PostEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'post_id' })
  post?: PostEntity;
}
