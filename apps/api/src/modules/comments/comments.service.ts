import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../../common/auth';
import {
  CacheService,
  PUBLIC_CONTENT_TTL_SECONDS,
  PUBLIC_POSTS_CACHE,
  PublicContentCache,
  textPageCodec,
} from '../../common/cache';
import { SerializedPage } from '../../common/http/envelope';
import { Errors } from '../../common/http/errors';
import { CursorPage, decodeCursor, encodeCursor } from '../../common/http/list';
import { Paginated } from '../../common/http/pagination';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import { newId } from '../../database/ids';
import { Transactions } from '../../database/transactions';
import {
  CommentApprovedEvent,
  CommentAwaitingModerationEvent,
  CommentPublishedEvent,
} from '../../events/domain-events';
import { DomainEvents } from '../../events/domain-events.publisher';
import { AuditService } from '../audit/audit.service';
import { PolicyService } from '../authorization/policy.service';
import { avatarUrl } from '../avatars/avatar-key';
import { authenticatedRowOf } from '../identity/authenticated-rows';
import { deriveExcerpt, plainText, renderCommentMarkdown } from '../posts/content/markdown';
import { PostsService } from '../posts/posts.service';
import {
  type CommentInQueue,
  type CommentRow,
  CommentsRepository,
  type CommentWithAuthor,
} from './comments.repository';
import type {
  CommentDto,
  CommentInQueueDto,
  CommentNodeDto,
  CreateCommentDto,
  ModerateCommentsDto,
  ModerationQueueQueryDto,
  ModerationResultDto,
  ThreadQueryDto,
} from './dto/comments.dto';
import { COMMENT_MAX_DEPTH, type CommentEntity, type CommentStatus } from './entities/comment.entity';

/** Moderators told about one pending comment, at most. */
const MODERATORS_MAILED = 20;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A page of threads as the public cache keeps it: its next cursor, then its items' JSON text. */
const THREAD_PAGE_CODEC = textPageCodec<{ next: string | null }>();

/**
 * Comments: threads under published posts (replies 5 levels deep), written by signed-in members
 * with a confirmed address, held for moderation by COMMENT_MODERATION, edited by their authors
 * within COMMENT_EDIT_WINDOW_MINUTES, and moderated by those holding `comments:moderate`. The
 * post's `commentCount` is the approved comments that are not deleted, kept by every write.
 */
@Injectable()
export class CommentsService {
  constructor(
    private readonly comments: CommentsRepository,
    private readonly posts: PostsService,
    private readonly transactions: Transactions,
    private readonly policy: PolicyService,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    private readonly publicContent: PublicContentCache,
    private readonly cache: CacheService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  private isModerator(actor: AuthUser | null): Promise<boolean> {
    return actor ? this.policy.can(actor, 'moderate', 'comments', {}) : Promise.resolve(false);
  }

  toDto(comment: CommentRow): CommentDto {
    const deleted = comment.deletedAt !== null;
    return {
      id: comment.id,
      postId: comment.postId,
      parentId: comment.parentId,
      depth: comment.depth,
      status: comment.status,
      deleted,
      body: deleted ? null : comment.bodyMarkdown,
      html: deleted ? null : comment.bodyHtml,
      author: deleted
        ? null
        : { id: comment.author.id, username: comment.author.username, avatarUrl: avatarUrl(comment.author.avatarKey) },
      createdAt: comment.createdAt.toISOString(),
      editedAt: comment.editedAt?.toISOString() ?? null,
      editableUntil: new Date(
        comment.createdAt.getTime() + this.config.commentEditWindowMinutes * 60_000,
      ).toISOString(),
    };
  }

  /**
   * A page of a post's threads, oldest first: each top-level comment with its replies nested.
   * Everyone sees approved comments; their authors also their own pending or rejected ones;
   * moderators everything. A deleted comment stays (as deleted) while it has replies shown.
   *
   * Everyone signed out sees the same first page, the one every reader of the post opens: it is
   * kept in the public cache as JSON text, like a page of the feed, and dropped with it by every
   * change a reader could see (a comment approved, edited, deleted or moderated; an author's name
   * or avatar). Later pages (a cursor) are read afresh: one kept page per post, not one per cursor
   * anyone cares to send (docs/DECISIONS.md 105).
   */
  async threads(
    postIdOrSlug: string,
    viewer: AuthUser | null,
    query: ThreadQueryDto,
  ): Promise<CursorPage<CommentNodeDto> | SerializedPage> {
    const post = await this.posts.read(postIdOrSlug, viewer);
    const after = query.cursor ? decodeCursor(query.cursor).id : undefined;
    if (after !== undefined && (typeof after !== 'string' || !UUID.test(after))) {
      throw Errors.invalidField('cursor', 'cursor must be a cursor from meta.cursor.next', 'INVALID_CURSOR');
    }
    if (viewer === null && after === undefined) {
      const cached = await this.cache.getOrLoad(
        PUBLIC_POSTS_CACHE,
        `threads:${post.id}:${query.limit}`,
        async () => {
          const page = await this.threadPage(post.id, null, false, after, query.limit);
          return { next: page.next, itemsJson: JSON.stringify(page.items) };
        },
        { ttlSeconds: PUBLIC_CONTENT_TTL_SECONDS, codec: THREAD_PAGE_CODEC },
      );
      return SerializedPage.of(new CursorPage([], cached.next), cached.itemsJson);
    }
    return this.threadPage(post.id, viewer, await this.isModerator(viewer), after, query.limit);
  }

  private async threadPage(
    postId: string,
    viewer: AuthUser | null,
    moderator: boolean,
    after: string | undefined,
    limit: number,
  ): Promise<CursorPage<CommentNodeDto>> {
    const roots = await this.comments.threadRoots(
      postId,
      { viewerId: viewer?.id ?? null, moderator },
      after,
      limit + 1,
    );
    const page = roots.slice(0, limit);
    const replies = await this.comments.replies(page.map((root) => root.id));
    // Each comment becomes its node once, and the tree is pruned on the nodes themselves: no copy
    // of every DTO, and no second map of the rows (decision 119).
    const nodes = new Map<string, CommentNodeDto>();
    const nodeOf = (comment: CommentRow): CommentNodeDto => {
      const node = this.toDto(comment) as CommentNodeDto;
      node.replies = [];
      nodes.set(comment.id, node);
      return node;
    };
    const tops = page.map(nodeOf);
    for (const reply of replies) nodeOf(reply);
    for (const reply of replies) nodes.get(reply.parentId!)?.replies.push(nodes.get(reply.id)!);
    // Hidden comments go with their replies; deleted ones stay only as the parent of something shown.
    // A deleted node shows no author, so only a shown one is asked whose it is.
    const visible = (node: CommentNodeDto): boolean =>
      moderator || node.status === 'approved' || (viewer !== null && node.author?.id === viewer.id);
    const prune = (node: CommentNodeDto): CommentNodeDto | null => {
      if (!node.deleted && !visible(node)) return null;
      node.replies = node.replies.map(prune).filter((n): n is CommentNodeDto => n !== null);
      return node.deleted && node.replies.length === 0 ? null : node;
    };
    const threads = tops.map(prune).filter((n): n is CommentNodeDto => n !== null);
    const last = page.at(-1);
    return new CursorPage(threads, roots.length > limit && last ? encodeCursor({ id: last.id }) : null);
  }

  /** The status a new comment gets under COMMENT_MODERATION (moderators' own are approved). */
  private async statusFor(author: AuthUser): Promise<CommentStatus> {
    if (await this.isModerator(author)) return 'approved';
    switch (this.config.commentModeration) {
      case 'none':
        return 'approved';
      case 'all':
        return 'pending';
      case 'first':
        return (await this.comments.hasApproved(author.id)) ? 'approved' : 'pending';
    }
  }

  async create(author: AuthUser, postId: string, input: CreateCommentDto): Promise<CommentDto> {
    const post = await this.posts.commentTarget(postId, author);
    if (!post.commentsOpen) throw Errors.conflict('Comments are closed on this post', 'postId', 'COMMENTS_CLOSED');
    const status = await this.statusFor(author);
    const written = await this.transactions.run(async () => {
      let parent: CommentEntity | null = null;
      if (input.parentId) {
        parent = await this.comments.lockById(input.parentId);
        if (!parent || parent.postId !== post.id || parent.deletedAt || parent.status !== 'approved') {
          throw Errors.invalidField('parentId', 'No such comment on this post to reply to', 'UNKNOWN_COMMENT');
        }
        if (parent.depth >= COMMENT_MAX_DEPTH) {
          throw Errors.conflict('Replies nest at most five levels deep: reply higher up', 'parentId', 'TOO_DEEP');
        }
      }
      const html = renderCommentMarkdown(input.body);
      const id = newId();
      const comment = await this.comments.insert({
        id,
        // A top-level comment is its own thread's root.
        rootId: parent?.rootId ?? id,
        postId: post.id,
        authorId: author.id,
        parentId: parent?.id ?? null,
        depth: parent ? parent.depth + 1 : 0,
        bodyMarkdown: input.body,
        bodyHtml: html,
        status,
      });
      await this.audit.record({ action: 'comment.created', target: `comment:${comment.id}`, metadata: { status } });
      if (status === 'approved') {
        await this.tellPostAuthor(comment);
        // Last before the commit: the count's update locks the post's row, which every comment on
        // the post waits for; taken here, it is held for one round trip, not for the statements above.
        await this.count(post.id, 1);
      }
      if (status === 'pending') {
        await this.events.publish(
          new CommentAwaitingModerationEvent(
            comment.id,
            post.id,
            post.title,
            deriveExcerpt(plainText(html), 200),
            author.username,
            await this.comments.moderatorEmails(MODERATORS_MAILED),
          ),
        );
      }
      return comment;
    });
    // The answer from the row as written and the caller's row as this request authenticated it:
    // no statement to read them back (decision 121). A caller not authenticated by a request has no
    // such row: the comment is read back with its author.
    const row = authenticatedRowOf(author);
    if (!row) return this.toDto((await this.comments.findById(written.id))!);
    return this.toDto({
      id: written.id,
      postId: written.postId,
      authorId: written.authorId,
      parentId: written.parentId,
      depth: written.depth,
      bodyMarkdown: written.bodyMarkdown,
      bodyHtml: written.bodyHtml,
      status: written.status,
      createdAt: written.createdAt,
      editedAt: null,
      deletedAt: null,
      author: { id: row.id, username: row.username, avatarKey: row.avatarKey },
    });
  }

  private async existing(id: string): Promise<CommentWithAuthor> {
    const comment = await this.comments.findById(id);
    if (!comment || comment.deletedAt) throw Errors.notFound('comment');
    return comment;
  }

  /** Edits one's own comment within the window (moderators: any, any time); the status stays. */
  async update(actor: AuthUser, id: string, body: string): Promise<CommentDto> {
    const comment = await this.existing(id);
    const moderator = await this.isModerator(actor);
    if (!moderator) {
      // Someone else's comment that one may not see is not found; one that one may see, forbidden.
      if (comment.authorId !== actor.id && comment.status !== 'approved') throw Errors.notFound('comment');
      await this.policy.assert(actor, 'update', 'comments', comment, 'comment');
      const windowMs = this.config.commentEditWindowMinutes * 60_000;
      if (Date.now() - comment.createdAt.getTime() > windowMs) {
        throw Errors.conflict(
          `Comments can be edited for ${this.config.commentEditWindowMinutes} minutes after they are written`,
          'body',
          'EDIT_WINDOW_CLOSED',
        );
      }
    }
    await this.transactions.run(async () => {
      const locked = await this.comments.lockById(id);
      if (!locked || locked.deletedAt) throw Errors.notFound('comment');
      locked.bodyMarkdown = body;
      locked.bodyHtml = renderCommentMarkdown(body);
      locked.editedAt = new Date();
      await this.comments.save(locked);
      await this.audit.record({ action: 'comment.updated', target: `comment:${id}` });
      // Signed-out readers' pages of threads are cached (decision 105): an approved comment's new text drops them.
      if (locked.status === 'approved') await this.publicContent.changed();
    });
    return this.toDto(await this.existing(id));
  }

  /** Deletes one's own comment (moderators: any). Its replies stay; it shows as deleted among them. */
  async remove(actor: AuthUser, id: string): Promise<void> {
    const comment = await this.existing(id);
    if (!(await this.isModerator(actor))) {
      if (comment.authorId !== actor.id && comment.status !== 'approved') throw Errors.notFound('comment');
      await this.policy.assert(actor, 'delete', 'comments', comment, 'comment');
    }
    await this.transactions.run(async () => {
      if (!(await this.apply(id, 'delete'))) throw Errors.notFound('comment');
    });
  }

  /**
   * One moderation step on a locked comment: approve, reject or delete; keeps the post's count.
   * False when the comment is gone. Approving tells the commenter (once per comment).
   */
  private async apply(id: string, action: 'approve' | 'reject' | 'delete'): Promise<boolean> {
    const comment = await this.comments.lockById(id);
    if (!comment || comment.deletedAt) return false;
    const counted = comment.status === 'approved';
    if (action === 'delete') comment.deletedAt = new Date();
    else {
      comment.status = action === 'approve' ? 'approved' : 'rejected';
      comment.moderatedAt = new Date();
    }
    const countsNow = comment.status === 'approved' && !comment.deletedAt;
    await this.comments.save(comment);
    await this.count(comment.postId, Number(countsNow) - Number(counted));
    await this.audit.record({
      action: `comment.${action === 'delete' ? 'deleted' : `${action}d`}`,
      target: `comment:${id}`,
    });
    if (action === 'approve' && !counted) {
      const full = await this.comments.findById(id);
      const post = await this.posts.read(comment.postId, null).catch(() => null);
      if (full && post) {
        await this.events.publish(
          new CommentApprovedEvent(id, post.slug, post.title, {
            userId: full.author.id,
            email: full.author.email,
            username: full.author.username,
          }),
        );
        await this.tellPostAuthor(full);
      }
    }
    return true;
  }

  /** Moves the post's comment count; a reader sees the new count at once (the public caches drop it). */
  private async count(postId: string, delta: number): Promise<void> {
    if (delta === 0) return;
    await this.comments.countOnPost(postId, delta);
    await this.publicContent.changed();
  }

  /**
   * A comment everyone can now read: its post's author is told, unless they wrote it. The comment
   * mail job reads what the mail shows when it runs (decision 116): the event names the comment
   * and the author only.
   */
  private async tellPostAuthor(comment: Pick<CommentEntity, 'id' | 'postId' | 'authorId'>): Promise<void> {
    const postAuthor = await this.comments.postAuthor(comment.postId);
    if (!postAuthor || postAuthor.userId === comment.authorId) return;
    await this.events.publish(new CommentPublishedEvent(comment.id, postAuthor));
  }

  async moderate(id: string, action: 'approve' | 'reject'): Promise<CommentDto> {
    await this.transactions.run(async () => {
      if (!(await this.apply(id, action))) throw Errors.notFound('comment');
    });
    return this.toDto(await this.existing(id));
  }

  /** Approves, rejects or deletes many comments in one transaction; ids that name nothing are reported. */
  async moderateMany(input: ModerateCommentsDto): Promise<ModerationResultDto> {
    return this.transactions.run(async () => {
      const missing: string[] = [];
      let changed = 0;
      for (const id of [...input.ids].sort()) {
        if (await this.apply(id, input.action)) changed += 1;
        else missing.push(id);
      }
      return { changed, missing };
    });
  }

  async queue(query: ModerationQueueQueryDto): Promise<Paginated<CommentInQueueDto>> {
    const [rows, total] = await this.comments.queue(query.status, (query.page - 1) * query.perPage, query.perPage);
    return new Paginated(
      rows.map((row: CommentInQueue) => ({ ...this.toDto(row), postTitle: row.post.title, postSlug: row.post.slug })),
      query.page,
      query.perPage,
      total,
    );
  }
}
