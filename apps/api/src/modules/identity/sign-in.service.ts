import { Injectable } from '@nestjs/common';
import { ErrorCode } from '@atrium/contracts';
import { requestContext } from '../../common/context/request-context';
import { ApiException } from '../../common/http/api.exception';
import { Errors } from '../../common/http/errors';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import { Transactions } from '../../database/transactions';
import { DomainEvents } from '../../events/domain-events.publisher';
import { AuditService } from '../audit/audit.service';
import { refOf } from './accounts.service';
import type { LoginDto } from './dto/auth.dto';
import type { UserEntity } from './entities/user.entity';
import { UserSignedInEvent } from './identity.events';
import { PasswordsService } from './passwords.service';
import { type IssuedSession, SessionsService } from './sessions.service';
import { TwoFactorService } from './two-factor.service';
import { UsersRepository } from './users.repository';

/** The window in which failed sign-ins of one account are counted. */
const FAILURE_WINDOW_SECONDS = 15 * 60;

const invalidCredentials = () => Errors.unauthenticated('The login or the password is wrong');

const locked = (retryAfterSeconds: number): ApiException =>
  new ApiException(
    423,
    ErrorCode.ACCOUNT_LOCKED,
    `Too many failed sign-ins: this account is locked; try again in ${Math.max(1, Math.ceil(retryAfterSeconds / 60))} minute(s)`,
    undefined,
    { 'Retry-After': String(Math.max(1, retryAfterSeconds)) },
  );

const totpRequired = (): ApiException =>
  new ApiException(
    401,
    ErrorCode.TOTP_REQUIRED,
    'Enter the current code from your authenticator app (or a recovery code)',
  );

/** Signing in and refreshing: credentials, the second factor, lockout after repeated failures. */
@Injectable()
export class SignInService {
  constructor(
    private readonly users: UsersRepository,
    private readonly transactions: Transactions,
    @InjectConfig() private readonly config: AppConfig,
    private readonly passwords: PasswordsService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    private readonly twoFactor: TwoFactorService,
  ) {}

  async login(input: LoginDto): Promise<{ user: UserEntity; issued: IssuedSession }> {
    const user = await this.users.findByLogin(input.login.trim().toLowerCase());
    // Counted before the (slow) password check, so parallel guesses cannot outrun the lockout.
    const attempt = user ? await this.reserveAttempt(user) : 0;
    // Unknown accounts cost one hash verification too: same answer, about the same time.
    const valid = await this.passwords.verify(user?.passwordHash ?? null, input.password);
    if (!user || !valid || !user.isActive) {
      if (user) await this.recordFailure(user, attempt);
      else
        await this.audit.record({ actorId: null, action: 'auth.login_failed', metadata: { reason: 'unknown_login' } });
      throw invalidCredentials();
    }
    if (user.totpEnabledAt) {
      if (!input.totpCode) {
        // The password was right and no code was tried: this attempt guessed nothing.
        await this.users.releaseSignInAttempt(user.id);
        throw totpRequired();
      }
      if (!(await this.twoFactor.verify(user, input.totpCode))) {
        await this.recordFailure(user, attempt);
        throw totpRequired();
      }
    }
    await this.users.clearSignInFailures(user.id);
    const client = requestContext.current();
    const issued = await this.transactions.run(async () => {
      const session = await this.sessions.create(user.id);
      await this.audit.record({
        actorId: user.id,
        action: 'auth.login',
        target: `session:${session.session.familyId}`,
      });
      await this.events.publish(
        new UserSignedInEvent(
          refOf(user),
          session.session.familyId,
          client?.ip ?? 'unknown',
          client?.userAgent ?? 'unknown',
        ),
      );
      return session;
    });
    return { user, issued };
  }

  /** The attempt's number in the current window; 423 when the account is (or now becomes) locked. */
  private async reserveAttempt(user: UserEntity): Promise<number> {
    const attempt = await this.users.reserveSignInAttempt(user.id, FAILURE_WINDOW_SECONDS);
    if (attempt === null) throw locked(await this.users.lockedForSeconds(user.id));
    if (attempt > this.config.auth.lockoutThreshold) {
      // Guesses that raced past the threshold: lock without checking this one.
      await this.lockOut(user, attempt - 1);
      throw locked(this.config.auth.lockoutMinutes * 60);
    }
    return attempt;
  }

  private async recordFailure(user: UserEntity, attempt: number): Promise<void> {
    await this.audit.record({ actorId: user.id, action: 'auth.login_failed', target: `user:${user.id}` });
    if (attempt >= this.config.auth.lockoutThreshold) await this.lockOut(user, attempt);
  }

  private async lockOut(user: UserEntity, failures: number): Promise<void> {
    await this.users.lock(user.id, this.config.auth.lockoutMinutes);
    await this.audit.record({
      actorId: user.id,
      action: 'auth.account_locked',
      target: `user:${user.id}`,
      metadata: { failures, minutes: this.config.auth.lockoutMinutes },
    });
  }

  async refresh(refreshToken: string): Promise<{ user: UserEntity; issued: IssuedSession }> {
    const issued = await this.sessions.rotate(refreshToken);
    const user = await this.users.findActive(issued.session.userId);
    if (!user) {
      await this.sessions.revokeFamily(issued.session.familyId, 'user_inactive');
      throw Errors.unauthenticated();
    }
    return { user, issued };
  }

  /** Clears a lockout (after a password reset proves who is signing in). */
  unlock(userId: string): Promise<void> {
    return this.users.clearSignInFailures(userId);
  }
}
