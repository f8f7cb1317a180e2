import { Injectable } from '@nestjs/common';
import { ErrorCode } from '@atrium/contracts';
import { requestContext } from '../../common/context/request-context';
import { ApiException } from '../../common/http/api.exception';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import { AuditService } from '../audit/audit.service';
import { SignInFailuresRepository } from './sign-in-failures.repository';

/** The window in which failed checks are counted. */
export const FAILURE_WINDOW_SECONDS = 15 * 60;
/** Failures from every client together that lock an account for everyone: this many times LOCKOUT_THRESHOLD. */
export const ACCOUNT_LOCKOUT_FACTOR = 10;

export const accountLocked = (retryAfterSeconds: number): ApiException =>
  new ApiException(
    423,
    ErrorCode.ACCOUNT_LOCKED,
    `Too many failed sign-ins: this account is locked; try again in ${Math.max(1, Math.ceil(retryAfterSeconds / 60))} minute(s)`,
    undefined,
    { 'Retry-After': String(Math.max(1, retryAfterSeconds)) },
  );

/** One counted attempt: its number for this client and for every client together. */
export interface Attempt {
  readonly subject: string;
  readonly clientKey: string;
  readonly userId: string | null;
  readonly client: number;
  readonly total: number;
}

/**
 * The lockout (decisions 44 and 52). Every check of a password or a second-factor code — at
 * sign-in and on signed-in routes alike (2FA removal, password change, account deletion) — is
 * counted before it runs, in Postgres, so neither parallel guesses nor a Redis outage outrun it.
 *
 * Two counts per subject (an account, or a login that names none):
 * - per client (subject + IP): LOCKOUT_THRESHOLD failures lock that client out of that account
 *   for LOCKOUT_MINUTES — a stranger who guesses locks out only themself;
 * - for everyone: ACCOUNT_LOCKOUT_FACTOR × LOCKOUT_THRESHOLD failures lock the account for every
 *   client, which stops guessing spread over many addresses; its owner ends that lock at once
 *   with the password-reset mail (a completed reset clears every count of the account).
 * An unknown login is counted and locked exactly like an account, so 423 reveals nothing.
 */
@Injectable()
export class LockoutService {
  constructor(
    private readonly failures: SignInFailuresRepository,
    private readonly audit: AuditService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /** The subject of an account's checks. */
  static account(userId: string): string {
    return `user:${userId}`;
  }

  /** The subject of a login that names no account (as typed, normalised). */
  static unknownLogin(login: string): string {
    return `login:${login.trim().toLowerCase().slice(0, 254)}`;
  }

  /** Counts an attempt on `subject` by the current client; 423 when it is (or now becomes) locked. */
  async reserve(subject: string, userId: string | null = null): Promise<Attempt> {
    const ip = requestContext.current()?.ip ?? 'unknown';
    const clientKey = `${subject}|${ip}`;
    const client = await this.failures.reserve(clientKey, FAILURE_WINDOW_SECONDS);
    if (client === null) throw accountLocked(await this.failures.lockedForSeconds(clientKey));
    const total = await this.failures.reserve(subject, FAILURE_WINDOW_SECONDS);
    if (total === null) {
      await this.failures.release(clientKey);
      throw accountLocked(await this.failures.lockedForSeconds(subject));
    }
    const attempt = { subject, clientKey, userId, client, total };
    // Guesses that raced past a threshold: lock without checking this one.
    if (client > this.config.auth.lockoutThreshold || total > this.accountThreshold) {
      await this.lockReached(attempt, 1);
      throw accountLocked(this.config.auth.lockoutMinutes * 60);
    }
    return attempt;
  }

  /** The attempt failed: audited, and locked once a threshold is reached. */
  async failed(attempt: Attempt): Promise<void> {
    await this.audit.record({
      actorId: attempt.userId,
      action: 'auth.login_failed',
      ...(attempt.userId ? { target: `user:${attempt.userId}` } : { metadata: { reason: 'unknown_login' } }),
    });
    await this.lockReached(attempt, 0);
  }

  /** The attempt succeeded: this client's count starts again; the attempt leaves the account's count. */
  async succeeded(attempt: Attempt): Promise<void> {
    await this.failures.clear([attempt.clientKey]);
    await this.failures.release(attempt.subject);
  }

  /** The attempt checked nothing (right password, second factor still to come): given back. */
  async release(attempt: Attempt): Promise<void> {
    await this.failures.release(attempt.clientKey);
    await this.failures.release(attempt.subject);
  }

  /** A completed password reset proves the owner: every count and lock of the account ends. */
  unlockAccount(userId: string): Promise<void> {
    return this.failures.clearSubject(LockoutService.account(userId));
  }

  /** Runs one credential check of a signed-in account under the lockout. */
  async check(userId: string, verify: () => Promise<boolean>): Promise<boolean> {
    const attempt = await this.reserve(LockoutService.account(userId), userId);
    const ok = await verify();
    if (ok) await this.succeeded(attempt);
    else await this.failed(attempt);
    return ok;
  }

  private get accountThreshold(): number {
    return this.config.auth.lockoutThreshold * ACCOUNT_LOCKOUT_FACTOR;
  }

  /** Locks what reached its threshold; `over` is 1 for an attempt that raced past it unchecked. */
  private async lockReached(attempt: Attempt, over: number): Promise<void> {
    const minutes = this.config.auth.lockoutMinutes;
    if (attempt.client - over >= this.config.auth.lockoutThreshold) {
      await this.failures.lock(attempt.clientKey, minutes);
      await this.audit.record({
        actorId: attempt.userId,
        action: 'auth.client_locked',
        ...(attempt.userId && { target: `user:${attempt.userId}` }),
        metadata: { failures: attempt.client - over, minutes },
      });
    }
    if (attempt.total - over >= this.accountThreshold) {
      await this.failures.lock(attempt.subject, minutes);
      await this.audit.record({
        actorId: attempt.userId,
        action: 'auth.account_locked',
        ...(attempt.userId && { target: `user:${attempt.userId}` }),
        metadata: { failures: attempt.total - over, minutes },
      });
    }
  }
}
