import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { ErrorCode, PAT_PREFIX, type PatScope } from '@atrium/contracts';
import { ApiException } from '../../common/http/api.exception';
import { AuditService } from '../audit/audit.service';
import { ApiTokenEntity } from './entities/api-token.entity';
import type { ClientInfo } from './sessions.service';
import { randomToken, sha256 } from './tokens.service';

/** `lastUsedAt` is written at most this often per token, not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;
const MAX_TOKENS_PER_USER = 50;

/** Personal access tokens: shown once at creation, stored as SHA-256, scoped, optionally expiring. */
@Injectable()
export class ApiTokensService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  private get repository() {
    return this.dataSource.getRepository(ApiTokenEntity);
  }

  async create(
    userId: string,
    input: { name: string; scopes: PatScope[]; expiresAt?: Date },
    client: ClientInfo,
  ): Promise<{ entity: ApiTokenEntity; token: string }> {
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
      throw new ApiException(400, ErrorCode.VALIDATION_ERROR, 'expiresAt must be in the future', [
        { field: 'expiresAt', message: 'must be in the future', code: 'IN_THE_PAST' },
      ]);
    }
    if ((await this.repository.countBy({ userId, revokedAt: IsNull() })) >= MAX_TOKENS_PER_USER) {
      throw new ApiException(409, ErrorCode.CONFLICT, `At most ${MAX_TOKENS_PER_USER} tokens; revoke one first`);
    }
    const secret = randomToken();
    const token = `${PAT_PREFIX}${secret}`;
    const entity = await this.repository.save(
      Object.assign(new ApiTokenEntity(), {
        userId,
        name: input.name,
        tokenHash: sha256(token),
        tokenPrefix: secret.slice(0, 6),
        scopes: [...new Set(input.scopes)],
        expiresAt: input.expiresAt ?? null,
        lastUsedAt: null,
        revokedAt: null,
      }),
    );
    await this.audit.record({ actorId: userId, action: 'pat.created', target: `pat:${entity.id}`, ...client });
    return { entity, token };
  }

  list(userId: string): Promise<ApiTokenEntity[]> {
    return this.repository.find({ where: { userId, revokedAt: IsNull() }, order: { createdAt: 'DESC' } });
  }

  async revoke(userId: string, id: string, client: ClientInfo): Promise<void> {
    const result = await this.repository.update({ id, userId, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (result.affected !== 1) throw new ApiException(404, ErrorCode.NOT_FOUND, 'No such token');
    await this.audit.record({ actorId: userId, action: 'pat.revoked', target: `pat:${id}`, ...client });
  }

  async revokeAllForUser(userId: string): Promise<void> {
    await this.repository.update({ userId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /** The live token behind a presented `atr_pat_…` value, or null. */
  async authenticate(token: string): Promise<ApiTokenEntity | null> {
    const entity = await this.repository.findOne({ where: { tokenHash: sha256(token), revokedAt: IsNull() } });
    if (!entity || (entity.expiresAt && entity.expiresAt.getTime() <= Date.now())) return null;
    if (!entity.lastUsedAt || Date.now() - entity.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.repository.update({ id: entity.id }, { lastUsedAt: new Date() });
    }
    return entity;
  }
}
