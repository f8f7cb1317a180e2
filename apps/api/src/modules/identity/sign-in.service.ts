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
import { LockoutService } from './lockout.service';
import { PasswordsService } from './passwords.service';
import { type IssuedSession, SessionsService } from './sessions.service';
import { TwoFactorService } from './two-factor.service';
import { UsersRepository } from './users.repository';

const invalidCredentials = () => Errors.unauthenticated('The login or the password is wrong');

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
    private readonly lockout: LockoutService,
  ) {}

  async login(input: LoginDto): Promise<{ user: UserEntity; issued: IssuedSession }> {
    const login = input.login.trim().toLowerCase();
    const user = await this.users.findByLogin(login);
    // Counted before the (slow) password check, so parallel guesses cannot outrun the lockout; a
    // login that names no account is counted (and locked) the same way, so 423 reveals nothing.
    const attempt = await this.lockout.reserve(
      user ? LockoutService.account(user.id) : LockoutService.unknownLogin(login),
      user?.id ?? null,
    );
    // Unknown accounts cost one hash verification too: same answer, about the same time.
    const valid = await this.passwords.verify(user?.passwordHash ?? null, input.password);
    if (!user || !valid || !user.isActive) {
      await this.lockout.failed(attempt);
      throw invalidCredentials();
    }
    if (user.totpEnabledAt) {
      if (!input.totpCode) {
        // The password was right and no code was tried: this attempt guessed nothing.
        await this.lockout.release(attempt);
        throw totpRequired();
      }
      if (!(await this.twoFactor.verify(user, input.totpCode))) {
        await this.lockout.failed(attempt);
        throw totpRequired();
      }
    }
    await this.lockout.succeeded(attempt);
    const client = requestContext.current();
    const issued = await this.transactions.run(async () => {
      const { first } = await this.users.recordSignIn(user.id);
      // Before this sign-in's own session exists: an account that never signed in knows no device.
      const knownDevice = !first && (await this.sessions.knownDevice(user.id));
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
          first,
          knownDevice,
        ),
      );
      return session;
    });
    return { user, issued };
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

  /** Clears every lock of the account (after a password reset proves who is signing in). */
  unlock(userId: string): Promise<void> {
    return this.lockout.unlockAccount(userId);
  }
}
