import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { createHash } from 'node:crypto';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import { ExportReadyEvent } from '../exports/exports.events';
import {
  CommentApprovedEvent,
  CommentPublishedEvent,
  CommentAwaitingModerationEvent,
} from '../../events/domain-events';
import {
  EmailChangedEvent,
  EmailChangeRequestedEvent,
  EmailVerificationRequestedEvent,
  PasswordChangedEvent,
  PasswordResetRequestedEvent,
  SignUpWithTakenAddressEvent,
  UserInvitedEvent,
  UserRegisteredEvent,
  UserSignedInEvent,
} from '../identity/identity.events';
import { describeDevice } from '@atrium/contracts';
import { JobsService } from '../../jobs/jobs.service';
import { appLink, maskEmail } from './mail.types';

/** How close to the end of a digest period a comment goes to the next period instead. */
const DIGEST_GUARD_MS = 2_000;
/** Authors whose digest job of the current period this process remembers having enqueued. */
const DIGESTS_REMEMBERED = 10_000;

/** A job id derived from a secret without revealing it: one mail per token, however often the event fires. */
const tokenKey = (token: string): string => createHash('sha256').update(token).digest('hex').slice(0, 32);

/**
 * Turns domain events into `mail.send` jobs. Errors propagate to `emitAsync`, so the emitting
 * service learns that a mail could not be enqueued.
 */
@Injectable()
export class MailEventsListener {
  /** Post author id → the digest period whose comment mail job this process enqueued. */
  private readonly digestsEnqueued = new Map<string, number>();

  constructor(
    private readonly jobs: JobsService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  @OnEvent(UserRegisteredEvent.eventName, { suppressErrors: false })
  @OnEvent(EmailVerificationRequestedEvent.eventName, { suppressErrors: false })
  async verifyEmail(event: UserRegisteredEvent | EmailVerificationRequestedEvent): Promise<void> {
    await this.jobs.enqueue(
      'mail.send',
      {
        to: event.user.email,
        template: 'verify-email',
        variables: {
          username: event.user.username,
          verifyUrl: appLink(this.config, '/verify-email', { token: event.verificationToken }),
          expiresInHours: event.expiresInHours,
        },
      },
      { jobId: `verify-email:${tokenKey(event.verificationToken)}` },
    );
  }

  @OnEvent(SignUpWithTakenAddressEvent.eventName, { suppressErrors: false })
  async accountExists(event: SignUpWithTakenAddressEvent): Promise<void> {
    await this.jobs.enqueue(
      'mail.send',
      {
        to: event.user.email,
        template: 'account-exists',
        variables: {
          username: event.user.username,
          signInUrl: appLink(this.config, '/sign-in'),
          resetUrl: appLink(this.config, '/forgot-password'),
        },
      },
      // One notice per account per hour, however many sign-ups name the address.
      { jobId: `account-exists:${event.user.userId}:${event.occurredAt.slice(0, 13)}` },
    );
  }

  @OnEvent(UserInvitedEvent.eventName, { suppressErrors: false })
  async invite(event: UserInvitedEvent): Promise<void> {
    await this.jobs.enqueue(
      'mail.send',
      {
        to: event.user.email,
        template: 'account-invite',
        variables: {
          username: event.user.username,
          invitedBy: event.invitedBy,
          setPasswordUrl: appLink(this.config, '/reset-password', { token: event.setPasswordToken }),
          expiresInHours: event.expiresInHours,
        },
      },
      { jobId: `account-invite:${tokenKey(event.setPasswordToken)}` },
    );
  }

  @OnEvent(PasswordResetRequestedEvent.eventName, { suppressErrors: false })
  async resetPassword(event: PasswordResetRequestedEvent): Promise<void> {
    await this.jobs.enqueue(
      'mail.send',
      {
        to: event.user.email,
        template: 'reset-password',
        variables: {
          username: event.user.username,
          resetUrl: appLink(this.config, '/reset-password', { token: event.resetToken }),
          expiresInMinutes: event.expiresInMinutes,
        },
      },
      { jobId: `reset-password:${tokenKey(event.resetToken)}` },
    );
  }

  @OnEvent(PasswordChangedEvent.eventName, { suppressErrors: false })
  async passwordChanged(event: PasswordChangedEvent): Promise<void> {
    await this.jobs.enqueue('mail.send', {
      to: event.user.email,
      template: 'password-changed',
      variables: {
        username: event.user.username,
        changedAt: event.occurredAt,
        ip: event.ip,
        resetUrl: appLink(this.config, '/forgot-password'),
      },
    });
  }

  /** The link to the new address (none when it has another account) and the notice to the current one. */
  @OnEvent(EmailChangeRequestedEvent.eventName, { suppressErrors: false })
  async emailChangeRequested(event: EmailChangeRequestedEvent): Promise<void> {
    if (event.confirmationToken !== null) {
      await this.jobs.enqueue(
        'mail.send',
        {
          to: event.newEmail,
          template: 'confirm-email-change',
          variables: {
            username: event.user.username,
            confirmUrl: appLink(this.config, '/confirm-email', { token: event.confirmationToken }),
            expiresInHours: event.expiresInHours,
          },
        },
        { jobId: `confirm-email-change:${tokenKey(event.confirmationToken)}` },
      );
    }
    await this.jobs.enqueue('mail.send', {
      to: event.user.email,
      template: 'email-change-requested',
      variables: {
        username: event.user.username,
        newEmail: maskEmail(event.newEmail),
        requestedAt: event.occurredAt,
        resetUrl: appLink(this.config, '/forgot-password'),
      },
    });
  }

  @OnEvent(EmailChangedEvent.eventName, { suppressErrors: false })
  async emailChanged(event: EmailChangedEvent): Promise<void> {
    await this.jobs.enqueue('mail.send', {
      to: event.previousEmail,
      template: 'email-changed',
      variables: {
        username: event.user.username,
        newEmail: maskEmail(event.user.email),
        changedAt: event.occurredAt,
        resetUrl: appLink(this.config, '/forgot-password'),
      },
    });
  }

  @OnEvent(UserSignedInEvent.eventName, { suppressErrors: false })
  async newSignIn(event: UserSignedInEvent): Promise<void> {
    // The very first sign-in of an account (right after sign-up) is no news to its owner, nor is
    // one from a device it has signed in from lately (decision 99).
    if (event.firstSignIn || event.knownDevice) return;
    await this.jobs.enqueue(
      'mail.send',
      {
        to: event.user.email,
        template: 'new-sign-in',
        variables: {
          username: event.user.username,
          at: event.occurredAt,
          ip: event.ip,
          device: describeDevice(event.userAgent),
          sessionsUrl: appLink(this.config, '/settings/sessions'),
        },
      },
      { jobId: `new-sign-in:${event.sessionId}` },
    );
  }

  @OnEvent(CommentAwaitingModerationEvent.eventName, { suppressErrors: false })
  async commentAwaitingModeration(event: CommentAwaitingModerationEvent): Promise<void> {
    for (const to of new Set(event.moderatorEmails)) {
      await this.jobs.enqueue(
        'mail.send',
        {
          to,
          template: 'comment-awaiting-moderation',
          variables: {
            postTitle: event.postTitle,
            commentExcerpt: event.excerpt,
            authorName: event.authorName,
            moderationUrl: appLink(this.config, '/moderation', { comment: event.commentId }),
          },
        },
        { jobId: `comment-moderation:${event.commentId}:${tokenKey(to)}` },
      );
    }
  }

  @OnEvent(CommentApprovedEvent.eventName, { suppressErrors: false })
  async commentApproved(event: CommentApprovedEvent): Promise<void> {
    await this.jobs.enqueue(
      'mail.send',
      {
        to: event.author.email,
        template: 'comment-approved',
        variables: {
          username: event.author.username,
          postTitle: event.postTitle,
          commentUrl: appLink(this.config, `/posts/${encodeURIComponent(event.postSlug)}`, {
            comment: event.commentId,
          }),
        },
      },
      { jobId: `comment-approved:${event.commentId}` },
    );
  }

  /**
   * A comment everyone can read: its post's author is told by the comment mail job (decision 116),
   * at the end of the digest period it came in (at once with COMMENT_MAIL_DIGEST_SECONDS=0), one
   * job per author and period: the job mails every comment they have not been told of.
   */
  @OnEvent(CommentPublishedEvent.eventName, { suppressErrors: false })
  async commentPublished(event: CommentPublishedEvent): Promise<void> {
    const postAuthorId = event.postAuthor.userId;
    const periodMs = this.config.commentMailDigestSeconds * 1000;
    if (periodMs === 0) {
      await this.jobs.enqueue('comments.mail-digest', { postAuthorId }, { jobId: `comment-digest:${event.commentId}` });
      return;
    }
    const now = Date.now();
    // A comment in the last moments of a period goes to the next one: the job of this one may be
    // running already (on another machine, whose clock may be a little ahead).
    const period = Math.floor((now + Math.min(DIGEST_GUARD_MS, periodMs / 10)) / periodMs);
    // This process enqueued that job already: it is in the outbox, and will find this comment.
    if (this.digestsEnqueued.get(postAuthorId) === period) return;
    await this.jobs.enqueue(
      'comments.mail-digest',
      { postAuthorId },
      { jobId: `comment-digest:${postAuthorId}:${period}`, delay: (period + 1) * periodMs - now },
    );
    if (this.digestsEnqueued.size >= DIGESTS_REMEMBERED) this.digestsEnqueued.clear();
    this.digestsEnqueued.set(postAuthorId, period);
  }

  @OnEvent(ExportReadyEvent.eventName, { suppressErrors: false })
  async exportReady(event: ExportReadyEvent): Promise<void> {
    await this.jobs.enqueue(
      'mail.send',
      {
        to: event.user.email,
        template: 'export-ready',
        variables: {
          username: event.user.username,
          downloadPageUrl: appLink(this.config, '/settings/account', { export: event.exportId }),
          expiresInHours: event.expiresInHours,
        },
      },
      { jobId: `export-ready:${event.exportId}` },
    );
  }
}
