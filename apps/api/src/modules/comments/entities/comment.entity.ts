import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity } from '../../../database/base.entity';
import { UserEntity } from '../../identity/entities/user.entity';
import { PostEntity } from '../../posts/entities/post.entity';

export const COMMENT_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];

/** Replies nest at most this deep (a top-level comment is depth 0). */
export const COMMENT_MAX_DEPTH = 4;

/**
 * A comment on a post, or a reply to one (`parent_id`; `root_id` is the thread's top-level
 * comment, so a thread loads in one query). Deleting sets `deleted_at`: a deleted comment with
 * replies stays in its thread as "deleted".
 */
@Entity('comments')
@Check('CHK_comments_status', `"status" IN ('pending', 'approved', 'rejected')`)
@Check('CHK_comments_depth', `"depth" BETWEEN 0 AND ${COMMENT_MAX_DEPTH}`)
// A post's threads, oldest first (keyset on id: ids are UUIDv7, in time order).
@Index('comments_threads_idx', ['postId', 'id'], { where: 'parent_id IS NULL' })
// The moderation queue.
@Index('comments_status_idx', ['status', 'id'], { where: 'deleted_at IS NULL' })
// Readable comments their post's author has not been mailed about yet (the comment mail's work list).
@Index('comments_unnotified_idx', ['postId'], {
  where: `author_notified_at IS NULL AND status = 'approved' AND deleted_at IS NULL`,
})
export class CommentEntity extends BaseEntity {
  @Column({ name: 'post_id', type: 'uuid' })
  postId: string;

  @ManyToOne(() => PostEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'post_id' })
  post?: PostEntity;

  @Index('comments_author_idx')
  @Column({ name: 'author_id', type: 'uuid' })
  authorId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'author_id' })
  author?: UserEntity;

  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId: string | null;

  @ManyToOne(() => CommentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'parent_id' })
  parent?: CommentEntity | null;

  @Index('comments_root_idx')
  @Column({ name: 'root_id', type: 'uuid' })
  rootId: string;

  @Column({ type: 'smallint' })
  depth: number;

  @Column({ name: 'body_markdown', type: 'text' })
  bodyMarkdown: string;

  @Column({ name: 'body_html', type: 'text' })
  bodyHtml: string;

  @Column({ type: 'text' })
  status: CommentStatus;

  @Column({ name: 'edited_at', type: 'timestamptz', nullable: true })
  editedAt: Date | null;

  @Column({ name: 'moderated_at', type: 'timestamptz', nullable: true })
  moderatedAt: Date | null;

  /**
   * When the post's author was mailed about this comment, in a comment mail that may list several
   * (docs/DECISIONS.md 116); null until then. Set on their own comments too, which are never mailed.
   */
  @Column({ name: 'author_notified_at', type: 'timestamptz', nullable: true })
  authorNotifiedAt: Date | null;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;
}
