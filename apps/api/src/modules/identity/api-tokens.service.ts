import { Injectable } from '@nestjs/common';
import { PAT_PREFIX, type PatScope } from '@atrium/contracts';
import { Errors } from '../../common/http/errors';
import { Transactions } from '../../database/transactions';
import { AuditService } from '../audit/audit.service';
import { ApiTokensRepository } from './api-tokens.repository';
import type { ApiTokenDto, CreatedApiTokenDto } from './dto/auth.dto';
import { toApiTokenDto } from './dto/identity.mappers';
import type { ApiTokenEntity } from './entities/api-token.entity';
import { randomToken, sha256 } from './tokens.service';

/** `lastUsedAt` is written at most this often per token, not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;
const MAX_TOKENS_PER_USER = 50;

/** Personal access tokens: shown once at creation, stored as SHA-256, scoped, optionally expiring. */
@Injectable()
export class ApiTokensService {
  constructor(
    private readonly tokens: ApiTokensRepository,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
  ) {}

  async create(
    userId: string,
    input: { name: string; scopes: PatScope[]; expiresAt?: Date },
  ): Promise<CreatedApiTokenDto> {
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
      throw Errors.invalidField('expiresAt', 'must be in the future', 'IN_THE_PAST', 'expiresAt must be in the future');
    }
    const secret = randomToken();
    const token = `${PAT_PREFIX}${secret}`;
    return this.transactions.run(async () => {
      // The cap is read, then written: one creation per user at a time.
      await this.transactions.lock(`api-tokens:${userId}`);
      if ((await this.tokens.countLive(userId)) >= MAX_TOKENS_PER_USER) {
        throw Errors.conflict(`At most ${MAX_TOKENS_PER_USER} tokens; revoke one first`);
      }
      const entity = await this.tokens.insert({
        userId,
        name: input.name,
        tokenHash: sha256(token),
        tokenPrefix: secret.slice(0, 6),
        scopes: [...new Set(input.scopes)],
        expiresAt: input.expiresAt ?? null,
      });
      await this.audit.record({ actorId: userId, action: 'pat.created', target: `pat:${entity.id}` });
      return { ...toApiTokenDto(entity), token };
    });
  }

  async list(userId: string): Promise<ApiTokenDto[]> {
    return (await this.tokens.listLive(userId)).map(toApiTokenDto);
  }

  async revoke(userId: string, id: string): Promise<void> {
    await this.transactions.run(async () => {
      if (!(await this.tokens.revoke(userId, id))) throw Errors.notFound('token');
      await this.audit.record({ actorId: userId, action: 'pat.revoked', target: `pat:${id}` });
    });
  }

  revokeAllForUser(userId: string): Promise<void> {
    return this.tokens.revokeAllForUser(userId);
  }

  /** The live token behind a presented `atr_pat_…` value, or null. */
  async authenticate(token: string): Promise<ApiTokenEntity | null> {
    const entity = await this.tokens.findLiveByHash(sha256(token));
    if (!entity || (entity.expiresAt && entity.expiresAt.getTime() <= Date.now())) return null;
    if (!entity.lastUsedAt || Date.now() - entity.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.tokens.touch(entity.id);
    }
    return entity;
  }
}
