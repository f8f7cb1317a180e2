import { DomainEvent, type UserRef } from '../../events/domain-events';

/** An account exists (every creation path: sign-up, an administrator, the first admin). */
export class UserCreatedEvent extends DomainEvent {
  static readonly eventName = 'user.created';
  readonly name = UserCreatedEvent.eventName;
  constructor(readonly userId: string) {
    super();
  }
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
    /** The account had never signed in before (its first session, right after sign-up). */
    readonly firstSignIn = false,
    /** The account has signed in from this device (IP address and user agent) in the last 90 days. */
    readonly knownDevice = false,
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

/**
 * A sign-up named an address that already has an account. The sign-up got the same answer as any
 * other (decision 53); the owner is told by mail instead.
 */
export class SignUpWithTakenAddressEvent extends DomainEvent {
  static readonly eventName = 'user.sign-up-with-taken-address';
  readonly name = SignUpWithTakenAddressEvent.eventName;
  constructor(readonly user: UserRef) {
    super();
  }
}

/**
 * Someone asked for a reset link for this address, known or not. The request only records this
 * (the same work for every address, so its answer time reveals nothing); the lookup, the link
 * and the mail happen after the answer (decision 53).
 */
export class PasswordResetAskedEvent extends DomainEvent {
  static readonly eventName = 'user.password-reset-asked';
  readonly name = PasswordResetAskedEvent.eventName;
  constructor(readonly email: string) {
    super();
  }
}

/**
 * The owner (password checked) asked to move the account to `newEmail`. `confirmationToken` is the
 * raw single-use link for the new address; null when that address has another account, which is
 * mailed nothing (the answer was the same, decision 53). The current address is told either way.
 */
export class EmailChangeRequestedEvent extends DomainEvent {
  static readonly eventName = 'user.email-change-requested';
  readonly name = EmailChangeRequestedEvent.eventName;
  constructor(
    readonly user: UserRef,
    readonly newEmail: string,
    readonly confirmationToken: string | null,
    readonly expiresInHours: number,
  ) {
    super();
  }
}

/** The account moved from `previousEmail` (told by mail) to `user.email`. */
export class EmailChangedEvent extends DomainEvent {
  static readonly eventName = 'user.email-changed';
  readonly name = EmailChangedEvent.eventName;
  constructor(
    readonly user: UserRef,
    readonly previousEmail: string,
  ) {
    super();
  }
}
