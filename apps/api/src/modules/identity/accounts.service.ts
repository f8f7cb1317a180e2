import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../../common/auth';
import { ErrorCode, preferencesViolations } from '@atrium/contracts';
import { ApiException } from '../../common/http/api.exception';
import { Errors } from '../../common/http/errors';
import { Transactions } from '../../database/transactions';
import { PublicContentCache } from '../../common/cache';
import { DomainEvents } from '../../events/domain-events.publisher';
import { AuditService } from '../audit/audit.service';
import { ApiTokensService } from './api-tokens.service';
import { authenticatedRowOf } from './authenticated-rows';
import type { RegisterDto, UpdateMeDto, UserDto } from './dto/auth.dto';
import { toUserDto } from './dto/identity.mappers';
import { EmailTokensService, invalidLink } from './email-tokens.service';
import type { UserEntity } from './entities/user.entity';
import { normalizeEmail, normalizeUsername } from './identifiers';
import { LockoutService } from './lockout.service';
import {
  EmailChangedEvent,
  EmailChangeRequestedEvent,
  EmailVerificationRequestedEvent,
  SignUpWithTakenAddressEvent,
  UserCreatedEvent,
  UserRegisteredEvent,
} from './identity.events';
import { PasswordsService } from './passwords.service';
import { SessionsService } from './sessions.service';
import { UsernameReservationsRepository } from './username-reservations.repository';
import { IdentifierTakenError, UsersRepository } from './users.repository';

const VERIFY_TTL_HOURS = 48;
/** How long an email-change link works. */
export const EMAIL_CHANGE_TTL_HOURS = 24;
/** How long a username given up by a change stays reserved for its former owner. */
export const USERNAME_RESERVATION_DAYS = 30;

/** What every way of creating an account supplies (sign-up, an administrator, the first admin). */
export interface NewAccount {
  email: string;
  username: string;
  /**
   * From `PasswordsService.hash`, computed before the transaction opens (hashing takes tens of
   * milliseconds: never while a transaction holds a connection).
   */
  passwordHash: string;
  firstName?: string | null;
  lastName?: string | null;
  emailVerified: boolean;
}

/** Accounts: creating them (one path for everyone), the owner's profile, verification, deletion. */
@Injectable()
export class AccountsService {
  constructor(
    private readonly users: UsersRepository,
    private readonly transactions: Transactions,
    private readonly passwords: PasswordsService,
    private readonly emailTokens: EmailTokensService,
    private readonly sessions: SessionsService,
    private readonly apiTokens: ApiTokensService,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    private readonly lockout: LockoutService,
    private readonly reservations: UsernameReservationsRepository,
    private readonly publicContent: PublicContentCache,
  ) {}

  /** Refuses a weak password with a field error (length rules are the DTO's). */
  async assertStrongPassword(password: string, context: Array<string | null | undefined>): Promise<void> {
    const verdict = await this.passwords.check(
      password,
      context.map((c) => c ?? ''),
    );
    if (!verdict.ok) {
      throw Errors.invalidField(
        'password',
        verdict.message ?? 'Choose a stronger password',
        'WEAK_PASSWORD',
        'The password is too weak',
      );
    }
  }

  /**
   * The one user-creation path. Joins the caller's transaction (so the caller's own writes —
   * roles, audit, invitation tokens — commit or roll back with the account) and announces
   * `user.created`, on which the default role is granted.
   */
  async createAccount(input: NewAccount): Promise<UserEntity> {
    const emailNormalized = normalizeEmail(input.email);
    const usernameNormalized = normalizeUsername(input.username);
    return this.transactions.run(async () => {
      const holders = await this.users.findHolders(emailNormalized, usernameNormalized);
      if (holders.length > 0) throw this.taken(holders, emailNormalized);
      if (await this.reservations.holder(usernameNormalized)) throw usernameTaken();
      let user: UserEntity;
      try {
        user = await this.users.insert({
          email: input.email.trim(),
          emailNormalized,
          username: input.username.trim(),
          usernameNormalized,
          passwordHash: input.passwordHash,
          firstName: input.firstName ?? null,
          lastName: input.lastName ?? null,
          emailVerifiedAt: input.emailVerified ? new Date() : null,
        });
      } catch (error) {
        // Two sign-ups racing for the same address: the unique index decides.
        if (error instanceof IdentifierTakenError) throw this.taken([], emailNormalized);
        throw error;
      }
      await this.events.publish(new UserCreatedEvent(user.id));
      return user;
    });
  }

  private taken(holders: Array<Pick<UserEntity, 'emailNormalized'>>, email: string) {
    const field = holders.length === 0 || holders.some((u) => u.emailNormalized === email) ? 'email' : 'username';
    return Errors.conflict(`This ${field} is already registered`, field, 'TAKEN');
  }

  /**
   * Sign-up: the account, its audit entry, its verification token and mail — all or nothing. The
   * answer is the same whether or not the address already has an account (decision 53): the
   * owner of a taken address is mailed instead. Usernames are public (profile pages), so a taken
   * one is still a 409.
   */
  async register(input: RegisterDto): Promise<void> {
    await this.assertStrongPassword(input.password, [input.email, input.username, input.firstName]);
    const passwordHash = await this.passwords.hash(input.password);
    const emailNormalized = normalizeEmail(input.email);
    const usernameNormalized = normalizeUsername(input.username);
    await this.transactions.run(async () => {
      const holders = await this.users.findHolders(emailNormalized, usernameNormalized);
      // A username given up by a change stays its former owner's for a while: as taken as a held one.
      if (
        holders.some((holder) => holder.usernameNormalized === usernameNormalized) ||
        (await this.reservations.holder(usernameNormalized))
      ) {
        throw usernameTaken();
      }
      if (holders.length > 0) {
        const owner = await this.users.findActiveByEmail(emailNormalized);
        // A deleted or deactivated account keeps its address for a while, and hears nothing.
        if (owner) await this.events.publish(new SignUpWithTakenAddressEvent(refOf(owner)));
        await this.audit.record({
          actorId: null,
          action: 'user.sign_up_with_taken_address',
          target: owner ? `user:${owner.id}` : null,
        });
        return;
      }
      const user = await this.createAccount({ ...input, passwordHash, emailVerified: false });
      await this.audit.record({ actorId: user.id, action: 'user.registered', target: `user:${user.id}` });
      const token = await this.emailTokens.issue(user.id, 'verify_email', VERIFY_TTL_HOURS * 60);
      await this.events.publish(new UserRegisteredEvent(refOf(user), token, VERIFY_TTL_HOURS));
    });
  }

  /**
   * Confirms the address with the mailed link. Opening it twice (a second click, a mail client's
   * link preview, two tabs) is no failure: a used link that has not expired, of an active account
   * whose address is confirmed, answers `alreadyVerified`, and so does a second live link (two
   * mails) once the first worked. The holder of the link learns nothing new — it was mailed to
   * that address. Any other used link (an account deactivated or deleted since) answers the same
   * 400 as an unknown one.
   */
  async verifyEmail(token: string): Promise<{ alreadyVerified: boolean }> {
    return this.transactions.run(async () => {
      const { userId, reused } = await this.emailTokens.consumeVerification(token);
      if (reused) {
        const user = await this.users.findActive(userId);
        if (!user?.emailVerifiedAt) throw invalidLink();
        return { alreadyVerified: true };
      }
      const newlyVerified = await this.users.markEmailVerified(userId);
      if (newlyVerified) {
        await this.audit.record({ actorId: userId, action: 'user.email_verified', target: `user:${userId}` });
      }
      return { alreadyVerified: !newlyVerified };
    });
  }

  async resendVerification(userId: string): Promise<void> {
    const user = await this.activeUser(userId);
    if (user.emailVerifiedAt) throw Errors.conflict('This email address is already verified');
    const wait = await this.emailTokens.cooldown(user.id, 'verify_email');
    if (wait > 0) {
      throw new ApiException(
        429,
        ErrorCode.RATE_LIMITED,
        `A verification mail was sent moments ago; ask again in ${wait} s`,
        undefined,
        { 'Retry-After': String(wait) },
      );
    }
    await this.transactions.run(async () => {
      const token = await this.emailTokens.issue(user.id, 'verify_email', VERIFY_TTL_HOURS * 60);
      await this.events.publish(new EmailVerificationRequestedEvent(refOf(user), token, VERIFY_TTL_HOURS));
    });
  }

  async updateProfile(userId: string, input: UpdateMeDto): Promise<UserDto> {
    if (input.preferences !== undefined) {
      // The typed schema shared with the SPA (libs/contracts): no free-form keys, no odd values.
      const violations = preferencesViolations(input.preferences);
      if (violations.length > 0) {
        throw new ApiException(
          400,
          ErrorCode.VALIDATION_ERROR,
          'preferences has values this schema does not allow',
          violations,
        );
      }
    }
    await this.users.update(userId, {
      ...(input.firstName !== undefined && { firstName: input.firstName || null }),
      ...(input.lastName !== undefined && { lastName: input.lastName || null }),
      ...(input.bio !== undefined && { bio: input.bio || null }),
      ...(input.preferences !== undefined && { preferences: input.preferences }),
    });
    // An author's name shows on their posts: readers see the change at once.
    if (input.firstName !== undefined || input.lastName !== undefined) await this.publicContent.changed();
    return toUserDto(await this.activeUser(userId));
  }

  /**
   * Asks to move the account to another address (password checked under the lockout). Nothing
   * changes until the link mailed to the new address is followed; the current address is told.
   * An address with another account gets the same answer (decision 53) and is mailed nothing.
   */
  async requestEmailChange(userId: string, email: string, password: string): Promise<void> {
    const user = await this.activeUser(userId);
    if (!(await this.lockout.check(user.id, () => this.passwords.verify(user.passwordHash, password)))) {
      throw Errors.invalidField('password', 'The password is wrong', 'WRONG_PASSWORD');
    }
    const newEmail = email.trim();
    const emailNormalized = normalizeEmail(newEmail);
    if (emailNormalized === user.emailNormalized) {
      throw Errors.invalidField('email', 'This is already the address of your account', 'SAME_EMAIL');
    }
    const wait = await this.emailTokens.cooldown(user.id, 'change_email');
    if (wait > 0) {
      throw new ApiException(
        429,
        ErrorCode.RATE_LIMITED,
        `A confirmation mail was sent moments ago; ask again in ${wait} s`,
        undefined,
        { 'Retry-After': String(wait) },
      );
    }
    await this.transactions.run(async () => {
      const taken = await this.users.heldByOther(user.id, { emailNormalized });
      // A token either way (the same work and the same cooldown); a taken address never sees it.
      const token = await this.emailTokens.issue(user.id, 'change_email', EMAIL_CHANGE_TTL_HOURS * 60, newEmail);
      await this.audit.record({
        actorId: user.id,
        action: taken ? 'user.email_change_to_taken_address' : 'user.email_change_requested',
        target: `user:${user.id}`,
      });
      await this.events.publish(
        new EmailChangeRequestedEvent(refOf(user), newEmail, taken ? null : token, EMAIL_CHANGE_TTL_HOURS),
      );
    });
  }

  /**
   * Follows the link mailed to the new address: the account moves there (verified — the link
   * proved the mailbox), every other mailed link of the account ends and the old address is told.
   * 409 when another account took the address since the request.
   */
  async confirmEmailChange(token: string): Promise<UserDto> {
    const user = await this.transactions.run(async () => {
      const { userId, newEmail } = await this.emailTokens.consumeEmailChange(token);
      const before = await this.users.findActive(userId);
      if (!before) throw invalidLink();
      const emailNormalized = normalizeEmail(newEmail);
      if (await this.users.heldByOther(userId, { emailNormalized })) throw emailTaken();
      try {
        await this.users.changeIdentifier(userId, { email: newEmail, emailNormalized });
      } catch (error) {
        if (error instanceof IdentifierTakenError) throw emailTaken();
        throw error;
      }
      await this.emailTokens.revokeEverything(userId);
      await this.audit.record({ actorId: userId, action: 'user.email_changed', target: `user:${userId}` });
      const after = await this.activeUser(userId);
      await this.events.publish(new EmailChangedEvent(refOf(after), before.email));
      return after;
    });
    return toUserDto(user);
  }

  /**
   * A new username (the sign-up rule). The old one stays reserved for the owner for
   * USERNAME_RESERVATION_DAYS: nobody else can take it, the owner can take it back.
   */
  async changeUsername(userId: string, username: string): Promise<UserDto> {
    const wanted = username.trim();
    const usernameNormalized = normalizeUsername(wanted);
    await this.transactions.run(async () => {
      const user = await this.activeUser(userId);
      if (user.username === wanted) return;
      if (usernameNormalized !== user.usernameNormalized) {
        const reservedFor = await this.reservations.holder(usernameNormalized);
        if ((await this.users.heldByOther(userId, { usernameNormalized })) || (reservedFor && reservedFor !== userId)) {
          throw usernameTaken();
        }
        if (reservedFor === userId) await this.reservations.release(usernameNormalized);
        await this.reservations.reserve(user.usernameNormalized, userId, USERNAME_RESERVATION_DAYS);
      }
      try {
        await this.users.changeIdentifier(userId, { username: wanted, usernameNormalized });
      } catch (error) {
        if (error instanceof IdentifierTakenError) throw usernameTaken();
        throw error;
      }
      await this.audit.record({ actorId: userId, action: 'user.username_changed', target: `user:${userId}` });
      // An author's name shows on their posts: readers see the change at once.
      await this.publicContent.changed();
    });
    return toUserDto(await this.activeUser(userId));
  }

  /** Soft delete: signed out and tokens revoked at once; identifiers freed after the retention period. */
  async deleteAccount(userId: string, password: string): Promise<void> {
    const user = await this.activeUser(userId);
    if (!(await this.lockout.check(user.id, () => this.passwords.verify(user.passwordHash, password)))) {
      throw Errors.invalidField('password', 'The password is wrong', 'WRONG_PASSWORD');
    }
    await this.transactions.run(async () => {
      await this.users.update(userId, { deletedAt: new Date(), isActive: false });
      await this.signOutEverywhere(userId, 'account_deleted');
      await this.audit.record({ actorId: userId, action: 'user.deleted', target: `user:${userId}` });
    });
  }

  /** Deactivation and deletion end every session and token at once. */
  async signOutEverywhere(userId: string, reason: string): Promise<void> {
    await this.sessions.revokeAllForUser(userId, reason);
    await this.apiTokens.revokeAllForUser(userId);
  }

  /** The caller's own account as they see it, from the row their authentication loaded in this request. */
  async profileOf(caller: AuthUser): Promise<UserDto> {
    return toUserDto(authenticatedRowOf(caller) ?? (await this.activeUser(caller.id)));
  }

  findActiveUser(id: string): Promise<UserEntity | null> {
    return this.users.findActive(id);
  }

  /** The signed-in user's own row; a user deleted or deactivated mid-request is no longer signed in. */
  async activeUser(id: string): Promise<UserEntity> {
    const user = await this.users.findActive(id);
    if (!user) throw Errors.unauthenticated();
    return user;
  }
}

const usernameTaken = () => Errors.conflict('This username is already registered', 'username', 'TAKEN');
const emailTaken = () => Errors.conflict('This email address is already registered', 'email', 'TAKEN');

export const refOf = (user: UserEntity): { userId: string; email: string; username: string } => ({
  userId: user.id,
  email: user.email,
  username: user.username,
});
