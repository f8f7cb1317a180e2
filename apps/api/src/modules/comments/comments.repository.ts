import { Injectable } from '@nestjs/common';
import { Transactions } from '../../database/transactions';
import { UserEntity } from '../identity/entities/user.entity';
import type { PostEntity } from '../posts/entities/post.entity';
import { CommentEntity, type CommentStatus } from './entities/comment.entity';

export type CommentWithAuthor = CommentEntity & { author: UserEntity };

/** The columns a thread shows of a comment (CommentDto) and of its author (their public name and avatar). */
const THREAD_COMMENT_COLUMNS = [
  ...['id', 'postId', 'authorId', 'parentId', 'depth', 'bodyMarkdown', 'bodyHtml', 'status'],
  ...['createdAt', 'editedAt', 'deletedAt'],
] as const satisfies ReadonlyArray<keyof CommentEntity>;
const THREAD_AUTHOR_COLUMNS = ['id', 'username', 'avatarKey'] as const satisfies ReadonlyArray<keyof UserEntity>;

/**
 * A comment as a thread loads it: what CommentDto shows, and only the public side of its author —
 * a page of threads used to read every column of some 200 comments and their authors (password
 * hashes included), most of them parsed and hydrated for nothing (decision 83).
 */
export type CommentRow = Pick<CommentEntity, (typeof THREAD_COMMENT_COLUMNS)[number]> & {
  author: Pick<UserEntity, (typeof THREAD_AUTHOR_COLUMNS)[number]>;
};
export type CommentInQueue = CommentWithAuthor & { post: PostEntity };

/** A row of the thread select: the comment's columns by property name, its author's as `author.<property>`. */
type ThreadRow = Omit<CommentRow, 'author'> & {
  [P in (typeof THREAD_AUTHOR_COLUMNS)[number] as `author.${P}`]: CommentRow['author'][P];
};

/** Every query and write of `comments`, and the post's `comment_count` they move. */
@Injectable()
export class CommentsRepository {
  constructor(private readonly tx: Transactions) {}

  private get comments() {
    return this.tx.repository(CommentEntity);
  }

  async findById(id: string): Promise<CommentWithAuthor | null> {
    // One statement: findOne() with a relation sends two (a DISTINCT query for the id, then the row).
    return (await this.comments
      .createQueryBuilder('c')
      .leftJoinAndSelect('c.author', 'author')
      .where('c.id = :id', { id })
      .getOne()) as CommentWithAuthor | null;
  }

  /** The comment, locked until the transaction ends (a moderation and an edit at once serialise). */
  lockById(id: string): Promise<CommentEntity | null> {
    return this.comments.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Locks the comments that exist among `ids`, in id order. */
  lockMany(ids: string[]): Promise<CommentEntity[]> {
    return this.comments
      .createQueryBuilder('c')
      .where('c.id IN (:...ids)', { ids })
      .orderBy('c.id', 'ASC')
      .setLock('pessimistic_write')
      .getMany();
  }

  /**
   * A new comment (its id set by the caller): one INSERT, where save() would first look the id up.
   * The creation time the database gave it comes back with it (`RETURNING`).
   */
  async insert(comment: Partial<CommentEntity>): Promise<CommentEntity> {
    const entity = this.comments.create(comment);
    await this.tx.insertReturning(CommentEntity, entity, ['createdAt']);
    return entity;
  }

  save(comment: CommentEntity): Promise<CommentEntity> {
    const { author: _author, post: _post, parent: _parent, ...row } = comment as CommentEntity & { author?: unknown };
    return this.comments.save(row as CommentEntity);
  }

  /** Whether the user has a comment a moderator approved (the `first` policy lets them through). */
  async hasApproved(authorId: string): Promise<boolean> {
    // EXISTS stops at the first; count() (which ignores `take`) counted every one of them. Written
    // here: TypeORM's exists() built its statement anew on every comment written (decision 121).
    const [row] = await this.tx.rawRows(
      `SELECT EXISTS (SELECT 1 FROM comments WHERE author_id = $1 AND status = 'approved') AS found`,
      [authorId],
    );
    return row?.found === true;
  }

  /** Moves the post's approved-comment count by `by`. */
  async countOnPost(postId: string, by: number): Promise<void> {
    if (by === 0) return;
    await this.tx.manager.query(`UPDATE posts SET comment_count = comment_count + $2 WHERE id = $1`, [postId, by]);
  }

  /**
   * A post's top-level comments after `afterId`, oldest first, that somebody may see: approved
   * ones, those `viewerId` wrote, all for a moderator, and deleted ones that still have replies.
   */
  threadRoots(
    postId: string,
    visibleTo: { viewerId: string | null; moderator: boolean },
    afterId: string | undefined,
    limit: number,
  ): Promise<CommentRow[]> {
    const params: unknown[] = [postId, limit];
    let where = 'c.post_id = $1 AND c.parent_id IS NULL';
    if (!visibleTo.moderator) {
      params.push(visibleTo.viewerId);
      where += ` AND (c.status = 'approved' OR c.author_id = $${params.length} OR (c.deleted_at IS NOT NULL AND EXISTS (SELECT 1 FROM comments r WHERE r.root_id = c.id AND r.id <> c.id)))`;
    }
    if (afterId) {
      params.push(afterId);
      where += ` AND c.id > $${params.length}`;
    }
    return this.thread(`WHERE ${where} ORDER BY c.id ASC LIMIT $2`, params);
  }

  /** Every reply in the threads of `rootIds` (the roots' descendants), oldest first. */
  async replies(rootIds: string[]): Promise<CommentRow[]> {
    if (rootIds.length === 0) return [];
    return this.thread('WHERE c.root_id = ANY($1::uuid[]) AND c.parent_id IS NOT NULL ORDER BY c.id ASC', [rootIds]);
  }

  /**
   * Thread rows by a hand-written clause, read raw and made into `CommentRow`s here: a page of
   * threads is ~100 comments, and TypeORM's query builder and entity hydration were the largest
   * share of its CPU and of its garbage (decision 90). The select list comes from the entity's
   * metadata, once.
   */
  private async thread(clause: string, params: unknown[]): Promise<CommentRow[]> {
    this.threadSelect ??= this.buildThreadSelect();
    const rows = (await this.tx.rawRows(`${this.threadSelect} ${clause}`, params)) as ThreadRow[];
    // Object literals of one shape, not objects filled key by key: a page maps some 200 rows, and
    // keyed stores in a loop made this mapping one of the thread's largest costs (decision 119).
    return rows.map((row): CommentRow => ({
      id: row.id,
      postId: row.postId,
      authorId: row.authorId,
      parentId: row.parentId,
      depth: row.depth,
      bodyMarkdown: row.bodyMarkdown,
      bodyHtml: row.bodyHtml,
      status: row.status,
      createdAt: row.createdAt,
      editedAt: row.editedAt,
      deletedAt: row.deletedAt,
      author: { id: row['author.id'], username: row['author.username'], avatarKey: row['author.avatarKey'] },
    }));
  }

  private threadSelect: string | undefined;

  private buildThreadSelect(): string {
    const { connection } = this.tx.manager;
    const column = (entity: typeof CommentEntity | typeof UserEntity, property: string) =>
      connection.getMetadata(entity).findColumnWithPropertyName(property)!.databaseName;
    const list = [
      ...THREAD_COMMENT_COLUMNS.map((property) => `c."${column(CommentEntity, property)}" AS "${property}"`),
      ...THREAD_AUTHOR_COLUMNS.map((property) => `author."${column(UserEntity, property)}" AS "author.${property}"`),
    ];
    return `SELECT ${list.join(', ')} FROM comments c INNER JOIN users author ON author.id = c.author_id`;
  }

  /** The moderation queue: comments in `status`, oldest first, with their posts. */
  async queue(status: CommentStatus, offset: number, limit: number): Promise<[CommentInQueue[], number]> {
    return (await this.comments
      .createQueryBuilder('c')
      .innerJoinAndSelect('c.author', 'author')
      .innerJoinAndSelect('c.post', 'post')
      .where('c.status = :status AND c.deleted_at IS NULL', { status })
      .orderBy('c.id', 'ASC')
      .offset(offset)
      .limit(limit)
      .getManyAndCount()) as [CommentInQueue[], number];
  }

  /** Addresses of active users whose roles grant comment moderation (at most `limit`). */
  async moderatorEmails(limit: number): Promise<string[]> {
    const rows: Array<{ email: string }> = await this.tx.manager.query(
      `SELECT DISTINCT u.email FROM users u
         JOIN user_roles ur ON ur.user_id = u.id AND (ur.expires_at IS NULL OR ur.expires_at > now())
         JOIN permissions p ON p.role_id = ur.role_id AND p.resource = 'comments' AND p.action = 'moderate'
        WHERE u.is_active AND u.deleted_at IS NULL AND u.email_verified_at IS NOT NULL
        LIMIT $1`,
      [limit],
    );
    return rows.map((row) => row.email);
  }

  /** Who wrote a post, to be told of its comments: null when their account is not active or verified. */
  async postAuthor(postId: string): Promise<{ userId: string; email: string; username: string } | null> {
    const rows: Array<{ id: string; email: string; username: string }> = await this.tx.manager.query(
      `SELECT u.id, u.email, u.username FROM posts p JOIN users u ON u.id = p.author_id
        WHERE p.id = $1 AND u.is_active AND u.deleted_at IS NULL AND u.email_verified_at IS NOT NULL`,
      [postId],
    );
    return rows[0] ? { userId: rows[0].id, email: rows[0].email, username: rows[0].username } : null;
  }
  /**
   * Marks the readable comments on `postAuthorId`'s posts that they have not been told of (at most
   * `limit`, oldest first; their own too, which are never mailed) and returns them with what a
   * comment mail shows. In the caller's transaction: rows another run holds are skipped.
   */
  async takeUnnotified(postAuthorId: string, limit: number): Promise<UnnotifiedComment[]> {
    const rows: UnnotifiedComment[] = await this.tx.manager.query(
      `WITH taken AS (
         UPDATE comments SET author_notified_at = now()
          WHERE id IN (SELECT c.id FROM comments c JOIN posts p ON p.id = c.post_id
                        WHERE p.author_id = $1 AND c.author_notified_at IS NULL
                          AND c.status = 'approved' AND c.deleted_at IS NULL
                        ORDER BY c.id LIMIT $2 FOR UPDATE OF c SKIP LOCKED)
          RETURNING id, post_id, author_id, body_html)
       SELECT t.id, t.author_id AS "authorId", u.username AS "authorName", t.body_html AS "bodyHtml",
              p.id AS "postId", p.slug AS "postSlug", p.title AS "postTitle"
         FROM taken t JOIN posts p ON p.id = t.post_id JOIN users u ON u.id = t.author_id
        ORDER BY t.id`,
      [postAuthorId, limit],
    );
    return rows;
  }

  /** A post author to be told of comments: null when their account is not active or verified. */
  async mailableUser(userId: string): Promise<{ email: string; username: string } | null> {
    const rows: Array<{ email: string; username: string }> = await this.tx.manager.query(
      `SELECT email, username FROM users
        WHERE id = $1 AND is_active AND deleted_at IS NULL AND email_verified_at IS NOT NULL`,
      [userId],
    );
    return rows[0] ?? null;
  }
}

/** A comment a post's author has not been told of, with what their comment mail shows of it. */
export interface UnnotifiedComment {
  id: string;
  authorId: string;
  authorName: string;
  bodyHtml: string;
  postId: string;
  postSlug: string;
  postTitle: string;
}
