/**
 * Domain events: what happened, in the words of the domain. Services emit them through
 * `EventEmitter2.emitAsync` (awaiting it means the follow-up work is enqueued); listeners turn them
 * into jobs. No service calls mail (or any other slow side effect) directly.
 */
export abstract class DomainEvent {
  abstract readonly name: string;
  readonly occurredAt = new Date().toISOString();
}

interface UserRef {
  userId: string;
  email: string;
  username: string;
}

/** An account was created; `verificationToken` is the raw, single-use email token. */
export class UserRegisteredEvent extends DomainEvent {
  static readonly eventName = 'user.registered';
  readonly name = UserRegisteredEvent.eventName;
  constructor(
    readonly user: UserRef,
    readonly verificationToken: string,
    readonly expiresInHours: number,
  ) {
    super();
  }
}

/** A new verification mail was asked for (a resend); carries a fresh token. */
export class EmailVerificationRequestedEvent extends DomainEvent {
  static readonly eventName = 'user.email-verification-requested';
  readonly name = EmailVerificationRequestedEvent.eventName;
  constructor(
    readonly user: UserRef,
    readonly verificationToken: string,
    readonly expiresInHours: number,
  ) {
    super();
  }
}

export class PasswordResetRequestedEvent extends DomainEvent {
  static readonly eventName = 'user.password-reset-requested';
  readonly name = PasswordResetRequestedEvent.eventName;
  constructor(
    readonly user: UserRef,
    readonly resetToken: string,
    readonly expiresInMinutes: number,
  ) {
    super();
  }
}

export class PasswordChangedEvent extends DomainEvent {
  static readonly eventName = 'user.password-changed';
  readonly name = PasswordChangedEvent.eventName;
  constructor(
    readonly user: UserRef,
    readonly ip: string | undefined,
  ) {
    super();
  }
}

/** A sign-in from a new session: the account owner is told, so a stranger's sign-in does not go unnoticed. */
export class UserSignedInEvent extends DomainEvent {
  static readonly eventName = 'user.signed-in';
  readonly name = UserSignedInEvent.eventName;
  constructor(
    readonly user: UserRef,
    readonly sessionId: string,
    readonly ip: string,
    readonly userAgent: string,
  ) {
    super();
  }
}

/** An administrator created an account; `setPasswordToken` is a raw reset token for the first password. */
export class UserInvitedEvent extends DomainEvent {
  static readonly eventName = 'user.invited';
  readonly name = UserInvitedEvent.eventName;
  constructor(
    readonly user: UserRef,
    readonly invitedBy: string,
    readonly setPasswordToken: string,
    readonly expiresInHours: number,
  ) {
    super();
  }
}

export class CommentAwaitingModerationEvent extends DomainEvent {
  static readonly eventName = 'comment.awaiting-moderation';
  readonly name = CommentAwaitingModerationEvent.eventName;
  constructor(
    readonly commentId: string,
    readonly postId: string,
    readonly postTitle: string,
    readonly excerpt: string,
    readonly authorName: string,
    /** Who moderates this comment (editors, the post's author). */
    readonly moderatorEmails: readonly string[],
  ) {
    super();
  }
}

export class CommentApprovedEvent extends DomainEvent {
  static readonly eventName = 'comment.approved';
  readonly name = CommentApprovedEvent.eventName;
  constructor(
    readonly commentId: string,
    readonly postSlug: string,
    readonly postTitle: string,
    readonly author: UserRef,
  ) {
    super();
  }
}
