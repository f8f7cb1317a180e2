import { Injectable } from '@nestjs/common';
import { Errors } from '../../common/http/errors';
import { EmailTokensRepository } from './email-tokens.repository';
import type { EmailTokenPurpose } from './entities/email-token.entity';
import { randomToken, sha256 } from './tokens.service';

/** Single-use links sent by mail (verification, password reset, invitations). */
@Injectable()
export class EmailTokensService {
  constructor(private readonly tokens: EmailTokensRepository) {}

  /** A new token (stored hashed); the raw value goes into the mail link only. */
  async issue(userId: string, purpose: EmailTokenPurpose, ttlMinutes: number, newEmail?: string): Promise<string> {
    const token = randomToken();
    await this.tokens.insert({
      userId,
      purpose,
      tokenHash: sha256(token),
      expiresAt: new Date(Date.now() + ttlMinutes * 60_000),
      newEmail: newEmail ?? null,
    });
    return token;
  }

  /** Uses an email-change link up (exactly once): its user and new address; 400 when invalid, used or expired. */
  async consumeEmailChange(token: string): Promise<{ userId: string; newEmail: string }> {
    const change = await this.tokens.consumeEmailChange(sha256(token));
    if (!change) throw invalidLink();
    return change;
  }

  /** Every open link of the user, of any kind, stops working (its address changed). */
  async revokeEverything(userId: string): Promise<void> {
    await this.tokens.consumeAllOfUser(userId);
  }

  /** The user of a live token, without using it up; 400 when invalid, used or expired. */
  async peek(token: string, purpose: EmailTokenPurpose): Promise<string> {
    const userId = await this.tokens.findLiveUser(sha256(token), purpose);
    if (!userId) throw invalidLink();
    return userId;
  }

  /**
   * Seconds to wait before another link of this kind may be mailed to this user (0: now): one
   * mail per recipient per MAIL_COOLDOWN_SECONDS, so nobody can flood an inbox through Atrium.
   */
  async cooldown(userId: string, purpose: EmailTokenPurpose): Promise<number> {
    const since = await this.tokens.secondsSinceLastIssued(userId, purpose);
    return since === null ? 0 : Math.max(0, MAIL_COOLDOWN_SECONDS - since);
  }

  /** Every open link of this kind stops working (after the password changed, older reset links must not). */
  async revokeAll(userId: string, purpose: EmailTokenPurpose): Promise<void> {
    await this.tokens.consumeAll(userId, purpose);
  }

  /**
   * Uses a verification link up, like `consume`; a link that was used already and has not expired
   * yet (opened twice, or by two requests at once) gives its user with `reused: true`, for the
   * caller to answer "already confirmed" from the user's state. Only verification links: a used
   * link that grants something (a reset) stays exactly as invalid as an unknown one.
   */
  async consumeVerification(token: string): Promise<{ userId: string; reused: boolean }> {
    const tokenHash = sha256(token);
    const userId = await this.tokens.consume(tokenHash, 'verify_email');
    if (userId) return { userId, reused: false };
    // A separate statement: it sees the use a concurrent request has just committed.
    const usedBy = await this.tokens.findUsedUser(tokenHash, 'verify_email');
    if (usedBy) return { userId: usedBy, reused: true };
    throw invalidLink();
  }

  /** Uses a token up (exactly once) and returns its user id; 400 when invalid, used or expired. */
  async consume(token: string, purpose: EmailTokenPurpose): Promise<string> {
    const userId = await this.tokens.consume(sha256(token), purpose);
    if (!userId) throw invalidLink();
    return userId;
  }
}

/** The least time between two mails of one kind to one recipient. */
export const MAIL_COOLDOWN_SECONDS = 60;

/** The one answer for a link that is unknown, used or expired. */
export const invalidLink = () => Errors.badRequest('This link is invalid, used or expired; ask for a new one');
