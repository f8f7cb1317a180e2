import { Injectable } from '@nestjs/common';
import { ErrorCode } from '@atrium/contracts';
import { ApiException } from '../../common/http/api.exception';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import { AuditService } from '../audit/audit.service';
import { UsersRepository } from './users.repository';

/** The window in which failed checks of one account are counted. */
const FAILURE_WINDOW_SECONDS = 15 * 60;

export const accountLocked = (retryAfterSeconds: number): ApiException =>
  new ApiException(
    423,
    ErrorCode.ACCOUNT_LOCKED,
    `Too many failed sign-ins: this account is locked; try again in ${Math.max(1, Math.ceil(retryAfterSeconds / 60))} minute(s)`,
    undefined,
    { 'Retry-After': String(Math.max(1, retryAfterSeconds)) },
  );

/**
 * The per-account lockout (decision 44): every check of a password or a second-factor code —
 * at sign-in and on signed-in routes alike (2FA removal, password change, account deletion) — is
 * counted before it runs, in Postgres, so neither parallel guesses nor a Redis outage outrun it.
 */
@Injectable()
export class LockoutService {
  constructor(
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /** Counts an attempt; its number in the window. 423 when the account is (or now becomes) locked. */
  async reserve(userId: string): Promise<number> {
    const attempt = await this.users.reserveSignInAttempt(userId, FAILURE_WINDOW_SECONDS);
    if (attempt === null) throw accountLocked(await this.users.lockedForSeconds(userId));
    if (attempt > this.config.auth.lockoutThreshold) {
      // Guesses that raced past the threshold: lock without checking this one.
      await this.lockOut(userId, attempt - 1);
      throw accountLocked(this.config.auth.lockoutMinutes * 60);
    }
    return attempt;
  }

  /** The attempt failed: audited, and the account locked once the threshold is reached. */
  async failed(userId: string, attempt: number): Promise<void> {
    await this.audit.record({ actorId: userId, action: 'auth.login_failed', target: `user:${userId}` });
    if (attempt >= this.config.auth.lockoutThreshold) await this.lockOut(userId, attempt);
  }

  /** The attempt succeeded: the count starts again. */
  succeeded(userId: string): Promise<void> {
    return this.users.clearSignInFailures(userId);
  }

  /** The attempt checked nothing (right password, second factor still to come): given back. */
  release(userId: string): Promise<void> {
    return this.users.releaseSignInAttempt(userId);
  }

  /** Runs one credential check under the lockout: counted, cleared on success, locking on repeated failure. */
  async check(userId: string, verify: () => Promise<boolean>): Promise<boolean> {
    const attempt = await this.reserve(userId);
    const ok = await verify();
    if (ok) await this.succeeded(userId);
    else await this.failed(userId, attempt);
    return ok;
  }

  private async lockOut(userId: string, failures: number): Promise<void> {
    await this.users.lock(userId, this.config.auth.lockoutMinutes);
    await this.audit.record({
      actorId: userId,
      action: 'auth.account_locked',
      target: `user:${userId}`,
      metadata: { failures, minutes: this.config.auth.lockoutMinutes },
    });
  }
}
