import { Injectable } from '@nestjs/common';
import { IsNull, MoreThan, Not } from 'typeorm';
import { newId } from '../../database/ids';
import { insertable, Transactions } from '../../database/transactions';
import { EmailTokenEntity, type EmailTokenPurpose } from './entities/email-token.entity';

/** `email_tokens`: single-use links, stored as hashes. */
@Injectable()
export class EmailTokensRepository {
  constructor(private readonly tx: Transactions) {}

  private get tokens() {
    return this.tx.repository(EmailTokenEntity);
  }

  async insert(row: {
    userId: string;
    purpose: EmailTokenPurpose;
    tokenHash: string;
    expiresAt: Date;
    newEmail?: string | null;
  }): Promise<void> {
    await this.tokens.insert(
      insertable(Object.assign(new EmailTokenEntity(), { id: newId(), newEmail: null, ...row, usedAt: null })),
    );
  }

  /** Uses up a live email-change token exactly once: its user and the address asked for, or null. */
  async consumeEmailChange(tokenHash: string): Promise<{ userId: string; newEmail: string } | null> {
    const row = await this.tokens.findOneBy({
      tokenHash,
      purpose: 'change_email',
      usedAt: IsNull(),
      expiresAt: MoreThan(new Date()),
    });
    if (!row?.newEmail) return null;
    const used = await this.tokens.update({ id: row.id, usedAt: IsNull() }, { usedAt: new Date() });
    return used.affected === 1 ? { userId: row.userId, newEmail: row.newEmail } : null;
  }

  /** Uses up every live token of a user, whatever its purpose (the address they were mailed to is gone). */
  async consumeAllOfUser(userId: string): Promise<void> {
    await this.tokens.update({ userId, usedAt: IsNull() }, { usedAt: new Date() });
  }

  /** The user of a live (unused, unexpired) token, without using it up. */
  async findLiveUser(tokenHash: string, purpose: EmailTokenPurpose): Promise<string | null> {
    const row = await this.tokens.findOneBy({ tokenHash, purpose, usedAt: IsNull(), expiresAt: MoreThan(new Date()) });
    return row?.userId ?? null;
  }

  /** Marks a live token used, exactly once across concurrent callers; its user id, or null. */
  async consume(tokenHash: string, purpose: EmailTokenPurpose): Promise<string | null> {
    const row = await this.tokens.findOneBy({ tokenHash, purpose, usedAt: IsNull(), expiresAt: MoreThan(new Date()) });
    if (!row) return null;
    const used = await this.tokens.update({ id: row.id, usedAt: IsNull() }, { usedAt: new Date() });
    return used.affected === 1 ? row.userId : null;
  }

  /** The user of a token that was already used and has not expired yet (a link opened twice), or null. */
  async findUsedUser(tokenHash: string, purpose: EmailTokenPurpose): Promise<string | null> {
    const row = await this.tokens.findOneBy({
      tokenHash,
      purpose,
      usedAt: Not(IsNull()),
      expiresAt: MoreThan(new Date()),
    });
    return row?.userId ?? null;
  }

  /** Seconds since the user was last sent a link of this kind; null when never. */
  async secondsSinceLastIssued(userId: string, purpose: EmailTokenPurpose): Promise<number | null> {
    const [row] = await this.tx.manager.query<Array<{ seconds: number | null }>>(
      `SELECT floor(extract(epoch FROM now() - max(created_at)))::int AS seconds
         FROM email_tokens WHERE user_id = $1 AND purpose = $2`,
      [userId, purpose],
    );
    return row?.seconds ?? null;
  }

  /** Uses up every live token of a user for a purpose (older reset links after a password change). */
  async consumeAll(userId: string, purpose: EmailTokenPurpose): Promise<void> {
    await this.tokens.update({ userId, purpose, usedAt: IsNull() }, { usedAt: new Date() });
  }

  /**
   * Used links go at once, except verification links: a used one still answers "already
   * confirmed" until it expires (`findUsedUser`), so it stays as long as an unused one would.
   */
  async deleteSpent(): Promise<number> {
    const result = await this.tokens
      .createQueryBuilder()
      .delete()
      .where(`(used_at IS NOT NULL AND purpose <> 'verify_email') OR expires_at < now() - interval '1 day'`)
      .execute();
    return result.affected ?? 0;
  }
}
