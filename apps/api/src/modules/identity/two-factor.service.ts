import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { DataSource } from 'typeorm';
import { ErrorCode } from '@atrium/contracts';
import { ApiException } from '../../common/http/api.exception';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import { AuditService } from '../audit/audit.service';
import { UserEntity } from './entities/user.entity';
import { PasswordsService } from './passwords.service';
import { SecretBox } from './secret-box';
import type { ClientInfo } from './sessions.service';
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
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectConfig() config: AppConfig,
    private readonly passwords: PasswordsService,
    private readonly audit: AuditService,
  ) {
    this.box = new SecretBox(config.jwtAccessSecret, 'totp');
  }

  private get users() {
    return this.dataSource.getRepository(UserEntity);
  }

  async setup(userId: string): Promise<{ secret: string; otpauthUri: string }> {
    const user = await this.users.findOneByOrFail({ id: userId });
    if (user.totpEnabledAt) throw new ApiException(409, ErrorCode.CONFLICT, 'Two-factor authentication is already on');
    const secret = new Secret({ size: 20 }).base32;
    await this.users.update({ id: userId }, { totpPendingSecret: this.box.seal(secret) });
    return { secret, otpauthUri: totpFor(secret, user.username).toString() };
  }

  async enable(userId: string, code: string, client: ClientInfo): Promise<string[]> {
    const user = await this.users.findOneByOrFail({ id: userId });
    if (user.totpEnabledAt) throw new ApiException(409, ErrorCode.CONFLICT, 'Two-factor authentication is already on');
    if (!user.totpPendingSecret) {
      throw new ApiException(400, ErrorCode.BAD_REQUEST, 'Start with POST /api/v1/auth/2fa/setup');
    }
    const secret = this.box.open(user.totpPendingSecret);
    const step = this.matchingStep(secret, user.username, code);
    if (step === null) throw this.wrongCode();
    const codes = Array.from({ length: RECOVERY_CODES }, recoveryCode);
    await this.users.update(
      { id: userId },
      {
        totpSecret: user.totpPendingSecret,
        totpPendingSecret: null,
        totpEnabledAt: new Date(),
        totpLastStep: String(step),
        recoveryCodeHashes: codes.map((c) => sha256(normalizeRecovery(c))),
      },
    );
    await this.audit.record({ actorId: userId, action: 'auth.2fa_enabled', target: `user:${userId}`, ...client });
    return codes;
  }

  async disable(userId: string, password: string, code: string, client: ClientInfo): Promise<void> {
    const user = await this.users.findOneByOrFail({ id: userId });
    if (!user.totpEnabledAt) throw new ApiException(409, ErrorCode.CONFLICT, 'Two-factor authentication is off');
    if (!(await this.passwords.verify(user.passwordHash, password)) || !(await this.verify(user, code, client))) {
      throw new ApiException(400, ErrorCode.VALIDATION_ERROR, 'The password or the code is wrong', [
        { field: 'code', message: 'The password or the code is wrong', code: 'WRONG_CREDENTIALS' },
      ]);
    }
    await this.users.update(
      { id: userId },
      { totpSecret: null, totpPendingSecret: null, totpEnabledAt: null, totpLastStep: null, recoveryCodeHashes: [] },
    );
    await this.audit.record({ actorId: userId, action: 'auth.2fa_disabled', target: `user:${userId}`, ...client });
  }

  /**
   * A current TOTP code (each accepted once: a replayed code fails) or an unused recovery code
   * (then used up). Race-safe: the database accepts a given step or recovery code only once.
   */
  async verify(user: UserEntity, code: string, client: ClientInfo): Promise<boolean> {
    if (!user.totpSecret) return false;
    if (/^\d{6}$/.test(code.trim())) {
      const step = this.matchingStep(this.box.open(user.totpSecret), user.username, code.trim());
      if (step === null) return false;
      const accepted = await this.users
        .createQueryBuilder()
        .update()
        .set({ totpLastStep: String(step) })
        .where('id = :id AND (totp_last_step IS NULL OR totp_last_step < :step)', { id: user.id, step })
        .execute();
      return accepted.affected === 1;
    }
    const hash = sha256(normalizeRecovery(code));
    const used = await this.users
      .createQueryBuilder()
      .update()
      .set({ recoveryCodeHashes: () => 'array_remove(recovery_code_hashes, :hash)' })
      .where('id = :id AND :hash = ANY(recovery_code_hashes)', { id: user.id, hash })
      .setParameters({ hash })
      .execute();
    if (used.affected !== 1) return false;
    await this.audit.record({
      actorId: user.id,
      action: 'auth.recovery_code_used',
      target: `user:${user.id}`,
      ...client,
    });
    return true;
  }

  /** The time step `code` belongs to (one step of clock drift either way), or null. */
  private matchingStep(secret: string, label: string, code: string): number | null {
    const delta = totpFor(secret, label).validate({ token: code.trim(), window: 1 });
    return delta === null ? null : Math.floor(Date.now() / 1000 / PERIOD) + delta;
  }

  private wrongCode(): ApiException {
    return new ApiException(400, ErrorCode.VALIDATION_ERROR, 'The code is wrong or expired', [
      { field: 'code', message: 'The code is wrong or expired; use the current one from your app', code: 'WRONG_CODE' },
    ]);
  }
}
