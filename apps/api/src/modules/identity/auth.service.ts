import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, MoreThan } from 'typeorm';
import { ErrorCode } from '@atrium/contracts';
import { ApiException } from '../../common/http/api.exception';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import {
  EmailVerificationRequestedEvent,
  PasswordChangedEvent,
  PasswordResetRequestedEvent,
  UserRegisteredEvent,
  UserSignedInEvent,
} from '../../events/domain-events';
import { AuditService } from '../audit/audit.service';
import { RolesService } from '../authorization/roles.service';
import type { ChangePasswordDto, LoginDto, RegisterDto, UpdateMeDto } from './dto/auth.dto';
import { EmailTokenEntity, type EmailTokenPurpose } from './entities/email-token.entity';
import { UserEntity } from './entities/user.entity';
import { PasswordsService } from './passwords.service';
import { ApiTokensService } from './api-tokens.service';
import { SecurityStore } from './security-store';
import { type ClientInfo, type IssuedSession, SessionsService } from './sessions.service';
import { randomToken, sha256 } from './tokens.service';
import { TwoFactorService } from './two-factor.service';

const VERIFY_TTL_HOURS = 48;
const RESET_TTL_MINUTES = 60;
/** The window in which failed sign-ins of one account are counted. */
const FAILURE_WINDOW_SECONDS = 15 * 60;
const PREFERENCES_MAX_BYTES = 4096;

const invalidCredentials = (): ApiException =>
  new ApiException(401, ErrorCode.UNAUTHENTICATED, 'The login or the password is wrong');

const totpRequired = (): ApiException =>
  new ApiException(
    401,
    ErrorCode.TOTP_REQUIRED,
    'Enter the current code from your authenticator app (or a recovery code)',
  );

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();
export const normalizeUsername = (username: string): string => username.trim().toLowerCase();

/** Accounts, sign-in and the email flows (DESIGN §5). Mail goes out through domain events, never directly. */
@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectConfig() private readonly config: AppConfig,
    private readonly passwords: PasswordsService,
    private readonly sessions: SessionsService,
    private readonly store: SecurityStore,
    private readonly audit: AuditService,
    private readonly events: EventEmitter2,
    private readonly twoFactor: TwoFactorService,
    private readonly apiTokens: ApiTokensService,
    private readonly roles: RolesService,
  ) {}

  private get users() {
    return this.dataSource.getRepository(UserEntity);
  }

  async register(input: RegisterDto, client: ClientInfo): Promise<UserEntity> {
    const verdict = await this.passwords.check(input.password, [input.email, input.username, input.firstName ?? '']);
    if (!verdict.ok) {
      throw new ApiException(400, ErrorCode.VALIDATION_ERROR, 'The password is too weak', [
        { field: 'password', message: verdict.message ?? 'Choose a stronger password', code: 'WEAK_PASSWORD' },
      ]);
    }
    const emailNormalized = normalizeEmail(input.email);
    const usernameNormalized = normalizeUsername(input.username);
    const taken = await this.users.find({
      where: [{ emailNormalized }, { usernameNormalized }],
      select: { id: true, emailNormalized: true, usernameNormalized: true },
    });
    if (taken.length > 0) throw this.conflict(taken, emailNormalized);
    const user = Object.assign(new UserEntity(), {
      email: input.email.trim(),
      emailNormalized,
      username: input.username.trim(),
      usernameNormalized,
      passwordHash: await this.passwords.hash(input.password),
      firstName: input.firstName ?? null,
      lastName: input.lastName ?? null,
      bio: null,
      preferences: {},
      emailVerifiedAt: null,
      isActive: true,
      deletedAt: null,
    });
    try {
      await this.users.save(user);
    } catch (error) {
      // Two sign-ups racing for the same address: the unique index decides.
      if ((error as { code?: string }).code === '23505') throw this.conflict([], emailNormalized);
      throw error;
    }
    await this.roles.assignDefaultRole(user.id);
    await this.audit.record({ actorId: user.id, action: 'user.registered', target: `user:${user.id}`, ...client });
    const token = await this.issueEmailToken(user.id, 'verify_email', VERIFY_TTL_HOURS * 60);
    await this.events.emitAsync(
      UserRegisteredEvent.eventName,
      new UserRegisteredEvent(this.ref(user), token, VERIFY_TTL_HOURS),
    );
    return user;
  }

  private conflict(taken: Pick<UserEntity, 'emailNormalized'>[], email: string): ApiException {
    const field = taken.some((u) => u.emailNormalized === email) || taken.length === 0 ? 'email' : 'username';
    return new ApiException(409, ErrorCode.CONFLICT, `This ${field} is already registered`, [
      { field, message: `This ${field} is already registered`, code: 'TAKEN' },
    ]);
  }

  private ref(user: UserEntity): { userId: string; email: string; username: string } {
    return { userId: user.id, email: user.email, username: user.username };
  }

  /** A single-use email token (stored hashed); the raw token goes into a mail link. */
  async issueEmailToken(userId: string, purpose: EmailTokenPurpose, ttlMinutes: number): Promise<string> {
    const token = randomToken();
    await this.dataSource.getRepository(EmailTokenEntity).save(
      Object.assign(new EmailTokenEntity(), {
        userId,
        purpose,
        tokenHash: sha256(token),
        expiresAt: new Date(Date.now() + ttlMinutes * 60_000),
        usedAt: null,
      }),
    );
    return token;
  }

  /** Marks a token used (exactly once) and returns its user id. */
  private async consumeEmailToken(token: string, purpose: EmailTokenPurpose): Promise<string> {
    const repository = this.dataSource.getRepository(EmailTokenEntity);
    const row = await repository.findOne({
      where: { tokenHash: sha256(token), purpose, usedAt: IsNull(), expiresAt: MoreThan(new Date()) },
    });
    const used = row && (await repository.update({ id: row.id, usedAt: IsNull() }, { usedAt: new Date() }));
    if (!row || used?.affected !== 1) {
      throw new ApiException(400, ErrorCode.BAD_REQUEST, 'This link is invalid, used or expired; ask for a new one');
    }
    return row.userId;
  }

  async login(input: LoginDto, client: ClientInfo): Promise<{ user: UserEntity; issued: IssuedSession }> {
    const login = input.login.trim().toLowerCase();
    const user = await this.users.findOne({
      where: login.includes('@')
        ? { emailNormalized: login, deletedAt: IsNull() }
        : { usernameNormalized: login, deletedAt: IsNull() },
    });
    if (user) await this.assertNotLocked(user.id);
    // Unknown accounts cost one hash verification too: same answer, about the same time.
    const valid = await this.passwords.verify(user?.passwordHash ?? null, input.password);
    if (!user || !valid || !user.isActive) {
      if (user) await this.recordFailure(user, client);
      else await this.audit.record({ action: 'auth.login_failed', metadata: { reason: 'unknown_login' }, ...client });
      throw invalidCredentials();
    }
    if (user.totpEnabledAt) {
      if (!input.totpCode) throw totpRequired();
      if (!(await this.twoFactor.verify(user, input.totpCode, client))) {
        await this.recordFailure(user, client);
        throw totpRequired();
      }
    }
    await this.store.delete(`failures:${user.id}`);
    const issued = await this.sessions.create(user.id, client);
    await this.audit.record({
      actorId: user.id,
      action: 'auth.login',
      target: `session:${issued.session.familyId}`,
      ...client,
    });
    await this.events.emitAsync(
      UserSignedInEvent.eventName,
      new UserSignedInEvent(
        this.ref(user),
        issued.session.familyId,
        client.ip ?? 'unknown',
        client.userAgent ?? 'unknown',
      ),
    );
    return { user, issued };
  }

  private async assertNotLocked(userId: string): Promise<void> {
    const retryAfter = await this.store.ttl(`locked:${userId}`);
    if (retryAfter > 0) {
      throw new ApiException(
        423,
        ErrorCode.ACCOUNT_LOCKED,
        `Too many failed sign-ins: this account is locked; try again in ${Math.ceil(retryAfter / 60)} minute(s)`,
        undefined,
        { 'Retry-After': String(retryAfter) },
      );
    }
  }

  private async recordFailure(user: UserEntity, client: ClientInfo): Promise<void> {
    const failures = await this.store.increment(`failures:${user.id}`, FAILURE_WINDOW_SECONDS);
    await this.audit.record({ actorId: user.id, action: 'auth.login_failed', target: `user:${user.id}`, ...client });
    if (failures >= this.config.auth.lockoutThreshold) {
      await this.store.set(`locked:${user.id}`, this.config.auth.lockoutMinutes * 60);
      await this.store.delete(`failures:${user.id}`);
      await this.audit.record({
        actorId: user.id,
        action: 'auth.account_locked',
        target: `user:${user.id}`,
        metadata: { failures, minutes: this.config.auth.lockoutMinutes },
        ...client,
      });
    }
  }

  async refresh(refreshToken: string, client: ClientInfo): Promise<{ user: UserEntity; issued: IssuedSession }> {
    const issued = await this.sessions.rotate(refreshToken, client);
    const user = await this.users.findOne({
      where: { id: issued.session.userId, deletedAt: IsNull(), isActive: true },
    });
    if (!user) {
      await this.sessions.revokeFamily(issued.session.familyId, 'user_inactive');
      throw new ApiException(401, ErrorCode.UNAUTHENTICATED, 'Authentication required');
    }
    return { user, issued };
  }

  async verifyEmail(token: string, client: ClientInfo): Promise<void> {
    const userId = await this.consumeEmailToken(token, 'verify_email');
    await this.users.update({ id: userId, emailVerifiedAt: IsNull() }, { emailVerifiedAt: new Date() });
    await this.audit.record({ actorId: userId, action: 'user.email_verified', target: `user:${userId}`, ...client });
  }

  async resendVerification(userId: string): Promise<void> {
    const user = await this.users.findOneOrFail({ where: { id: userId } });
    if (user.emailVerifiedAt) throw new ApiException(409, ErrorCode.CONFLICT, 'This email address is already verified');
    const token = await this.issueEmailToken(user.id, 'verify_email', VERIFY_TTL_HOURS * 60);
    await this.events.emitAsync(
      EmailVerificationRequestedEvent.eventName,
      new EmailVerificationRequestedEvent(this.ref(user), token, VERIFY_TTL_HOURS),
    );
  }

  /** Always succeeds from the caller's view: whether the account exists is not revealed. */
  async forgotPassword(email: string, client: ClientInfo): Promise<void> {
    const user = await this.users.findOne({
      where: { emailNormalized: normalizeEmail(email), deletedAt: IsNull(), isActive: true },
    });
    if (!user) return;
    const token = await this.issueEmailToken(user.id, 'reset_password', RESET_TTL_MINUTES);
    await this.audit.record({ actorId: user.id, action: 'auth.password_reset_requested', ...client });
    await this.events.emitAsync(
      PasswordResetRequestedEvent.eventName,
      new PasswordResetRequestedEvent(this.ref(user), token, RESET_TTL_MINUTES),
    );
  }

  async resetPassword(token: string, password: string, client: ClientInfo): Promise<void> {
    const userId = await this.consumeEmailToken(token, 'reset_password');
    const user = await this.users.findOneOrFail({ where: { id: userId } });
    await this.setPassword(user, password);
    // The link came by mail: following it proves the address (invited accounts start here).
    if (!user.emailVerifiedAt) await this.users.update({ id: user.id }, { emailVerifiedAt: new Date() });
    // Whoever knew the old password is out, everywhere.
    await this.sessions.revokeAllForUser(user.id, 'password_reset');
    await this.store.delete(`locked:${user.id}`);
    await this.audit.record({ actorId: user.id, action: 'auth.password_reset', target: `user:${user.id}`, ...client });
    await this.events.emitAsync(
      PasswordChangedEvent.eventName,
      new PasswordChangedEvent(this.ref(user), client.ip ?? undefined),
    );
  }

  async changePassword(userId: string, sessionId: string, input: ChangePasswordDto, client: ClientInfo): Promise<void> {
    const user = await this.users.findOneOrFail({ where: { id: userId } });
    if (!(await this.passwords.verify(user.passwordHash, input.currentPassword))) {
      throw new ApiException(400, ErrorCode.VALIDATION_ERROR, 'The current password is wrong', [
        { field: 'currentPassword', message: 'The current password is wrong', code: 'WRONG_PASSWORD' },
      ]);
    }
    await this.setPassword(user, input.newPassword);
    await this.sessions.revokeAllForUser(user.id, 'password_changed', sessionId);
    await this.audit.record({
      actorId: user.id,
      action: 'auth.password_changed',
      target: `user:${user.id}`,
      ...client,
    });
    await this.events.emitAsync(
      PasswordChangedEvent.eventName,
      new PasswordChangedEvent(this.ref(user), client.ip ?? undefined),
    );
  }

  private async setPassword(user: UserEntity, password: string): Promise<void> {
    const verdict = await this.passwords.check(password, [user.email, user.username, user.firstName ?? '']);
    if (!verdict.ok) {
      throw new ApiException(400, ErrorCode.VALIDATION_ERROR, 'The password is too weak', [
        { field: 'password', message: verdict.message ?? 'Choose a stronger password', code: 'WEAK_PASSWORD' },
      ]);
    }
    await this.users.update({ id: user.id }, { passwordHash: await this.passwords.hash(password) });
  }

  async updateProfile(userId: string, input: UpdateMeDto): Promise<UserEntity> {
    if (input.preferences && Buffer.byteLength(JSON.stringify(input.preferences)) > PREFERENCES_MAX_BYTES) {
      throw new ApiException(400, ErrorCode.VALIDATION_ERROR, 'preferences is too large', [
        { field: 'preferences', message: `At most ${PREFERENCES_MAX_BYTES} bytes of JSON`, code: 'TOO_LARGE' },
      ]);
    }
    const changes: Partial<UserEntity> = {};
    if (input.firstName !== undefined) changes.firstName = input.firstName || null;
    if (input.lastName !== undefined) changes.lastName = input.lastName || null;
    if (input.bio !== undefined) changes.bio = input.bio || null;
    if (input.preferences !== undefined) changes.preferences = input.preferences;
    if (Object.keys(changes).length > 0) await this.users.update({ id: userId }, changes as never);
    return this.users.findOneOrFail({ where: { id: userId } });
  }

  /** Soft delete: signed out and tokens revoked at once; identifiers freed after the retention period. */
  async deleteAccount(userId: string, password: string, client: ClientInfo): Promise<void> {
    const user = await this.users.findOneOrFail({ where: { id: userId } });
    if (!(await this.passwords.verify(user.passwordHash, password))) {
      throw new ApiException(400, ErrorCode.VALIDATION_ERROR, 'The password is wrong', [
        { field: 'password', message: 'The password is wrong', code: 'WRONG_PASSWORD' },
      ]);
    }
    await this.users.update({ id: userId }, { deletedAt: new Date(), isActive: false });
    await this.sessions.revokeAllForUser(userId, 'account_deleted');
    await this.apiTokens.revokeAllForUser(userId);
    await this.audit.record({ actorId: userId, action: 'user.deleted', target: `user:${userId}`, ...client });
  }

  recordSessionEvent(userId: string, action: string, sessionId: string, client: ClientInfo): Promise<void> {
    return this.audit.record({ actorId: userId, action, target: `session:${sessionId}`, ...client });
  }

  findActiveUser(id: string): Promise<UserEntity | null> {
    return this.users.findOne({ where: { id, deletedAt: IsNull(), isActive: true } });
  }
}
