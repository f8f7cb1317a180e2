import { Check, Column, Entity, Index, JoinColumn, ManyToOne, VersionColumn } from 'typeorm';
import { BaseEntity } from '../../../database/base.entity';
import { UserEntity } from '../../identity/entities/user.entity';
import { CategoryEntity } from '../../taxonomy/entities/category.entity';
import { MediaEntity } from '../../media/entities/media.entity';

/** Search's text configuration: English stemming and stop words. */
export const SEARCH_CONFIG = 'english';

const SEARCH_VECTOR_SQL = [
  `setweight(to_tsvector('${SEARCH_CONFIG}'::regconfig, coalesce("title", '')), 'A')`,
  `setweight(to_tsvector('${SEARCH_CONFIG}'::regconfig, coalesce("excerpt", '')), 'B')`,
  `setweight(to_tsvector('${SEARCH_CONFIG}'::regconfig, coalesce("body_markdown", '')), 'C')`,
].join(' || ');

export const POST_STATUSES = ['draft', 'scheduled', 'published', 'archived'] as const;
export type PostStatus = (typeof POST_STATUSES)[number];
export const POST_VISIBILITIES = ['public', 'members'] as const;
export type PostVisibility = (typeof POST_VISIBILITIES)[number];

/**
 * A post: Markdown as written and the sanitized HTML rendered from it when it is saved (readers
 * get stored HTML), with what is derived from the text (excerpt, reading time and level).
 * Deleting sets `deleted_at`; the row and its slug stay.
 */
@Entity('posts')
@Check('CHK_posts_status', `"status" IN ('draft', 'scheduled', 'published', 'archived')`)
@Check('CHK_posts_visibility', `"visibility" IN ('public', 'members')`)
// The public feed: published, not deleted, newest first (keyset on published_at, id).
@Index('posts_feed_idx', ['publishedAt', 'id'], { where: `status = 'published' AND deleted_at IS NULL` })
// A category's feed (the tree filter reads it for each category of the subtree).
@Index('posts_category_feed_idx', ['categoryId', 'publishedAt', 'id'], {
  where: `status = 'published' AND deleted_at IS NULL`,
})
// Search: the weighted text below (GIN), and trigrams of titles for misspelled or partial words.
// Both are made by the migration (TypeORM cannot declare GIN indexes); declared here so schema
// checks keep them.
@Index('posts_search_idx', { synchronize: false })
@Index('posts_title_trgm_idx', { synchronize: false })
// Pairs of words that stand close together (search-pairs.ts): a phrase reads back only the posts that hold them.
@Index('posts_search_pairs_idx', { synchronize: false })
// An author's own posts ("my posts"), most recently changed first.
@Index('posts_author_updated_idx', ['authorId', 'updatedAt'])
export class PostEntity extends BaseEntity {
  @Column({ name: 'author_id', type: 'uuid' })
  authorId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'author_id' })
  author?: UserEntity;

  @Column({ type: 'text' })
  title: string;

  /** The category it is filed under (none: null). A category in use is only deleted by moving its posts. */
  @Column({ name: 'category_id', type: 'uuid', nullable: true })
  categoryId: string | null;

  @ManyToOne(() => CategoryEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'category_id' })
  category?: CategoryEntity | null;

  /** Its cover image (media library); gone with the image. */
  @Column({ name: 'cover_media_id', type: 'uuid', nullable: true })
  coverMediaId: string | null;

  @ManyToOne(() => MediaEntity, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'cover_media_id' })
  coverMedia?: MediaEntity | null;

  @Index('posts_slug_key', { unique: true })
  @Column({ type: 'text' })
  slug: string;

  @Column({ name: 'body_markdown', type: 'text' })
  bodyMarkdown: string;

  @Column({ name: 'body_html', type: 'text' })
  bodyHtml: string;

  @Column({ type: 'text' })
  excerpt: string;

  /** The excerpt was written by the author (else derived from the body, and re-derived on edits). */
  @Column({ name: 'excerpt_given', type: 'boolean', default: false })
  excerptGiven: boolean;

  @Column({ type: 'text', default: 'draft' })
  status: PostStatus;

  @Column({ type: 'text', default: 'public' })
  visibility: PostVisibility;

  @Column({ type: 'boolean', default: false })
  featured: boolean;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Column({ name: 'scheduled_at', type: 'timestamptz', nullable: true })
  scheduledAt: Date | null;

  @Column({ name: 'reading_time_minutes', type: 'integer' })
  readingTimeMinutes: number;

  /** Flesch–Kincaid grade of the text; null without words. */
  @Column({ name: 'reading_level', type: 'real', nullable: true })
  readingLevel: number | null;

  @Column({ name: 'view_count', type: 'integer', default: 0 })
  viewCount: number;

  /** Approved comments, not deleted; kept by every comment write. */
  @Column({ name: 'comment_count', type: 'integer', default: 0 })
  commentCount: number;

  /** Whether readers may comment (existing comments stay readable when closed). */
  @Column({ name: 'comments_open', type: 'boolean', default: true })
  commentsOpen: boolean;

  /** Title (A), excerpt (B) and body (C), weighted, for full-text search; computed by Postgres. */
  @Column({
    name: 'search_vector',
    type: 'tsvector',
    select: false,
    insert: false,
    update: false,
    generatedType: 'STORED',
    asExpression: SEARCH_VECTOR_SQL,
  })
  searchVector?: string;

  /** Raised by every save: the ETag of a post, and what `If-Match` is compared with. */
  @VersionColumn()
  version: number;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;
}
