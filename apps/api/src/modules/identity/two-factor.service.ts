import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { SecretBox } from '../../common/crypto/secret-box';
import { Errors } from '../../common/http/errors';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import { AuditService } from '../audit/audit.service';
import type { UserEntity } from './entities/user.entity';
import { LockoutService } from './lockout.service';
import { PasswordsService } from './passwords.service';
import { UsersRepository } from './users.repository';
import { sha256 } from './tokens.service';

const PERIOD = 30;
const RECOVERY_CODES = 10;

const totpFor = (secret: string, label: string): TOTP =>
  new TOTP({
    issuer: 'Atrium',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD,
    secret: Secret.fromBase32(secret),
  });

/** `xxxxx-xxxxx`, lowercase base32: easy to read out and type. */
function recoveryCode(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const chars = [...randomBytes(10)].map((byte) => alphabet[byte % 32]);
  return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
}

const normalizeRecovery = (code: string): string => code.trim().toLowerCase().replace(/\s+/g, '');

/** TOTP (RFC 6238) two-factor authentication with single-use recovery codes. */
@Injectable()
export class TwoFactorService {
  private readonly box: SecretBox;

  constructor(
    private readonly users: UsersRepository,
    @InjectConfig() config: AppConfig,
    private readonly passwords: PasswordsService,
    private readonly audit: AuditService,
    private readonly lockout: LockoutService,
  ) {
    // Seeds sealed before DATA_ENCRYPTION_KEY existed are opened with the JWT key and sealed again.
    this.box = new SecretBox(config.dataEncryptionKey, 'totp', config.jwtAccessSecret);
  }

  private async userOf(userId: string): Promise<UserEntity> {
    const user = await this.users.findActive(userId);
    if (!user) throw Errors.notFound('user');
    return user;
  }

  /** Opens a sealed seed; one still under the legacy key is sealed again under the data key. */
  private async openSeed(user: UserEntity, column: 'totpSecret' | 'totpPendingSecret'): Promise<string> {
    const sealed = user[column] as string;
    const secret = this.box.open(sealed);
    if (this.box.isLegacy(sealed)) {
      const resealed = this.box.seal(secret);
      await this.users.update(user.id, { [column]: resealed });
      user[column] = resealed;
    }
    return secret;
  }

  async setup(userId: string): Promise<{ secret: string; otpauthUri: string }> {
    const user = await this.userOf(userId);
    if (user.totpEnabledAt) throw Errors.conflict('Two-factor authentication is already on');
    const secret = new Secret({ size: 20 }).base32;
    await this.users.update(userId, { totpPendingSecret: this.box.seal(secret) });
    return { secret, otpauthUri: totpFor(secret, user.username).toString() };
  }

  async enable(userId: string, code: string): Promise<string[]> {
    const user = await this.userOf(userId);
    if (user.totpEnabledAt) throw Errors.conflict('Two-factor authentication is already on');
    if (!user.totpPendingSecret) throw Errors.badRequest('Start with POST /api/v1/auth/2fa/setup');
    const secret = await this.openSeed(user, 'totpPendingSecret');
    const step = this.matchingStep(secret, user.username, code);
    if (step === null) throw this.wrongCode();
    const codes = Array.from({ length: RECOVERY_CODES }, recoveryCode);
    await this.users.update(userId, {
      totpSecret: user.totpPendingSecret,
      totpPendingSecret: null,
      totpEnabledAt: new Date(),
      totpLastStep: String(step),
      recoveryCodeHashes: codes.map((c) => sha256(normalizeRecovery(c))),
    });
    await this.audit.record({ actorId: userId, action: 'auth.2fa_enabled', target: `user:${userId}` });
    return codes;
  }

  async disable(userId: string, password: string, code: string): Promise<void> {
    const user = await this.userOf(userId);
    if (!user.totpEnabledAt) throw Errors.conflict('Two-factor authentication is off');
    const verified = await this.lockout.check(
      user.id,
      async () => (await this.passwords.verify(user.passwordHash, password)) && (await this.verify(user, code)),
    );
    if (!verified) {
      throw Errors.invalidField('code', 'The password or the code is wrong', 'WRONG_CREDENTIALS');
    }
    await this.users.update(userId, {
      totpSecret: null,
      totpPendingSecret: null,
      totpEnabledAt: null,
      totpLastStep: null,
      recoveryCodeHashes: [],
    });
    await this.audit.record({ actorId: userId, action: 'auth.2fa_disabled', target: `user:${userId}` });
  }

  /**
   * A current TOTP code (each accepted once: a replayed code fails) or an unused recovery code
   * (then used up). Race-safe: the database accepts a given step or recovery code only once.
   */
  async verify(user: UserEntity, code: string): Promise<boolean> {
    if (!user.totpSecret) return false;
    if (/^\d{6}$/.test(code.trim())) {
      const step = this.matchingStep(await this.openSeed(user, 'totpSecret'), user.username, code.trim());
      return step !== null && (await this.users.acceptTotpStep(user.id, step));
    }
    if (!(await this.users.useRecoveryCode(user.id, sha256(normalizeRecovery(code))))) return false;
    await this.audit.record({ actorId: user.id, action: 'auth.recovery_code_used', target: `user:${user.id}` });
    return true;
  }

  /** The time step `code` belongs to (one step of clock drift either way), or null. */
  private matchingStep(secret: string, label: string, code: string): number | null {
    const delta = totpFor(secret, label).validate({ token: code.trim(), window: 1 });
    return delta === null ? null : Math.floor(Date.now() / 1000 / PERIOD) + delta;
  }

  private wrongCode() {
    return Errors.invalidField(
      'code',
      'The code is wrong or expired; use the current one from your app',
      'WRONG_CODE',
      'The code is wrong or expired',
    );
  }
}
