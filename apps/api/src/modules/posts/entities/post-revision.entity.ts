import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity } from '../../../database/base.entity';
import { PostEntity } from './post.entity';

/** A post's title and body as one save left them (the newest is the post as it is). */
@Entity('post_revisions')
@Index('post_revisions_post_created_idx', ['postId', 'createdAt'])
export class PostRevisionEntity extends BaseEntity {
  @Column({ name: 'post_id', type: 'uuid' })
  postId: string;

  @ManyToOne(() => PostEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'post_id' })
  post?: PostEntity;

  @Column({ type: 'text' })
  title: string;

  @Column({ name: 'body_markdown', type: 'text' })
  bodyMarkdown: string;

  /** Who saved it; null once their account is gone. */
  @Column({ name: 'editor_id', type: 'uuid', nullable: true })
  editorId: string | null;

  @Column({ name: 'editor_username', type: 'text', nullable: true })
  editorUsername: string | null;
}
