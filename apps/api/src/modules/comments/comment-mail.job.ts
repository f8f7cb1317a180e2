import { Injectable, Module } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import { DatabaseModule } from '../../database/database.module';
import { Transactions } from '../../database/transactions';
import { JobRegistry } from '../../jobs/job.registry';
import { JobsService } from '../../jobs/jobs.service';
import { appLink, type MailJob } from '../mail/mail.types';
import { deriveExcerpt, plainText } from '../posts/content/markdown';
import { CommentsRepository, type UnnotifiedComment } from './comments.repository';

/** Comments one digest mail takes at most; more are left to the next (enqueued at once). */
export const DIGEST_MAX_COMMENTS = 500;

/**
 * The `comments.mail-digest` job (decision 116), in whichever process runs jobs: a post author is
 * told, in one mail, of every readable comment on their posts they have not been told of yet — by
 * the comment's own mail when there is one, by a digest when there are several. The comments are
 * marked in the transaction that enqueues the mail (through the job outbox), so a comment is in
 * exactly one mail however the runs overlap or fail.
 */
@Injectable()
export class CommentMailJob {
  constructor(
    registry: JobRegistry,
    private readonly comments: CommentsRepository,
    private readonly transactions: Transactions,
    private readonly jobs: JobsService,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    registry.handle('comments.mail-digest', async ({ postAuthorId }) => {
      await this.mailAuthor(postAuthorId);
    });
  }

  /** Mails `postAuthorId` what they have not been told of; returns the mail enqueued, if any. */
  mailAuthor(postAuthorId: string): Promise<MailJob | null> {
    return this.transactions.run(async () => {
      const taken = await this.comments.takeUnnotified(postAuthorId, DIGEST_MAX_COMMENTS);
      if (taken.length === DIGEST_MAX_COMMENTS) {
        await this.jobs.enqueue(
          'comments.mail-digest',
          { postAuthorId },
          { jobId: `comment-digest:${postAuthorId}:${taken[taken.length - 1].id}` },
        );
      }
      // Their own comments are marked, never mailed.
      const others = taken.filter((comment) => comment.authorId !== postAuthorId);
      const author = others.length > 0 ? await this.comments.mailableUser(postAuthorId) : null;
      if (!author) return null;
      const mail = this.mailOf(author, others);
      const newest = others[others.length - 1];
      await this.jobs.enqueue('mail.send', mail, { jobId: `comment-mail:${postAuthorId}:${newest.id}` });
      return mail;
    });
  }

  private mailOf(author: { email: string; username: string }, comments: UnnotifiedComment[]): MailJob {
    const newest = comments[comments.length - 1];
    const excerpt = deriveExcerpt(plainText(newest.bodyHtml), 200);
    const commentUrl = appLink(this.config, `/posts/${encodeURIComponent(newest.postSlug)}`, { comment: newest.id });
    if (comments.length === 1) {
      return {
        to: author.email,
        template: 'comment-on-your-post',
        variables: {
          username: author.username,
          postTitle: newest.postTitle,
          commenterName: newest.authorName,
          commentExcerpt: excerpt,
          commentUrl,
        },
      };
    }
    return {
      to: author.email,
      template: 'comments-on-your-posts',
      variables: {
        username: author.username,
        commentCount: comments.length,
        postCount: new Set(comments.map((comment) => comment.postId)).size,
        latestCommenterName: newest.authorName,
        latestPostTitle: newest.postTitle,
        latestExcerpt: excerpt,
        commentUrl,
      },
    };
  }
}

/** The comments' background work, for the API (embedded mode) and the worker alike. */
@Module({
  imports: [DatabaseModule],
  providers: [CommentsRepository, CommentMailJob],
  exports: [CommentsRepository, CommentMailJob],
})
export class CommentsJobsModule {}
