import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import { availableParallelism } from 'node:os';
import pLimit, { type LimitFunction } from 'p-limit';
import { ARGON2_OPTIONS } from '../../common/crypto/argon2';
import { StrengthChecker } from './strength-checker';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
const MIN_SCORE = 3;

/**
 * The strength checker: zxcvbn-ts in a worker thread started by a check and ended when checks stop
 * (decision 94; before it, decision 84 loaded it at the first check and kept it). One per process.
 */
const strength = new StrengthChecker();

export interface PasswordVerdict {
  ok: boolean;
  /** Why the password is refused and what would help, for the person choosing it. */
  message?: string;
}

@Injectable()
export class PasswordsService implements OnApplicationShutdown {
  /**
   * Hashes and verifications running at once: one per CPU this process may use. Each holds its
   * 19 MiB of Argon2 memory while it runs, on libuv's pool (4 threads by default); beyond one per
   * CPU they only wait for a core while holding it, so a burst of sign-ins raised the resident
   * size by up to 76 MB and finished no sooner (decision 92).
   */
  private readonly argon2: LimitFunction = pLimit(availableParallelism());

  /** A hash of a fixed password: unknown accounts are verified against it so both answers take as long. */
  private readonly dummyHash = this.argon2(() => hash('atrium-timing-equalizer', ARGON2_OPTIONS));

  hash(password: string): Promise<string> {
    return this.argon2(() => hash(password, ARGON2_OPTIONS));
  }

  /** `hash` null (no such account) still costs one verification, against the dummy hash. */
  async verify(hashed: string | null, password: string): Promise<boolean> {
    const against = hashed ?? (await this.dummyHash);
    const ok = await this.argon2(() => verify(against, password).catch(() => false));
    return hashed !== null && ok;
  }

  /** Rejects short, long and guessable passwords (zxcvbn score < 3, common passwords, the user's own names). */
  async check(password: string, userInputs: string[] = []): Promise<PasswordVerdict> {
    if (password.length < PASSWORD_MIN_LENGTH) {
      return { ok: false, message: `Use at least ${PASSWORD_MIN_LENGTH} characters` };
    }
    if (password.length > PASSWORD_MAX_LENGTH) {
      return { ok: false, message: `Use at most ${PASSWORD_MAX_LENGTH} characters` };
    }
    const result = await strength.check(password, userInputs.filter(Boolean));
    if (result.score >= MIN_SCORE) return { ok: true };
    const advice = [result.warning, ...result.suggestions].filter(Boolean).join(' ').replace(/\.$/, '');
    return {
      ok: false,
      message: `This password is too easy to guess${advice ? `: ${advice}` : ''}. A few unrelated words make a strong one.`,
    };
  }

  /**
   * Ends the strength checker's worker now instead of after its idle time: for a check that is no
   * burst's first (the first admin at start-up), so its ~70 MB go at once (decision 108).
   */
  releaseStrengthChecker(): Promise<void> {
    return strength.close();
  }

  /** Ends the strength checker's worker, if one runs. */
  onApplicationShutdown(): Promise<void> {
    return this.releaseStrengthChecker();
  }
}
