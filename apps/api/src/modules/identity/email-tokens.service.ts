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
  async issue(userId: string, purpose: EmailTokenPurpose, ttlMinutes: number): Promise<string> {
    const token = randomToken();
    await this.tokens.insert({
      userId,
      purpose,
      tokenHash: sha256(token),
      expiresAt: new Date(Date.now() + ttlMinutes * 60_000),
    });
    return token;
  }

  /** The user of a live token, without using it up; 400 when invalid, used or expired. */
  async peek(token: string, purpose: EmailTokenPurpose): Promise<string> {
    const userId = await this.tokens.findLiveUser(sha256(token), purpose);
    if (!userId) throw invalidLink();
    return userId;
  }

  /** Uses a token up (exactly once) and returns its user id; 400 when invalid, used or expired. */
  async consume(token: string, purpose: EmailTokenPurpose): Promise<string> {
    const userId = await this.tokens.consume(sha256(token), purpose);
    if (!userId) throw invalidLink();
    return userId;
  }
}

const invalidLink = () => Errors.badRequest('This link is invalid, used or expired; ask for a new one');
