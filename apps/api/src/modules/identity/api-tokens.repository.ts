import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { newId } from '../../database/ids';
import { insertable, Transactions } from '../../database/transactions';
import { ApiTokenEntity } from './entities/api-token.entity';

/** `api_tokens`: personal access tokens, stored as hashes. */
@Injectable()
export class ApiTokensRepository {
  constructor(private readonly tx: Transactions) {}

  private get tokens() {
    return this.tx.repository(ApiTokenEntity);
  }

  async insert(
    row: Pick<ApiTokenEntity, 'userId' | 'name' | 'tokenHash' | 'tokenPrefix' | 'scopes' | 'expiresAt'>,
  ): Promise<ApiTokenEntity> {
    const token = Object.assign(new ApiTokenEntity(), { id: newId(), ...row, lastUsedAt: null, revokedAt: null });
    await this.tokens.insert(insertable(token));
    return (await this.tokens.findOneBy({ id: token.id })) as ApiTokenEntity;
  }

  countLive(userId: string): Promise<number> {
    return this.tokens.countBy({ userId, revokedAt: IsNull() });
  }

  listLive(userId: string): Promise<ApiTokenEntity[]> {
    return this.tokens.find({ where: { userId, revokedAt: IsNull() }, order: { createdAt: 'DESC' } });
  }

  /** Revokes the user's own token; false when there is no such live token of theirs. */
  async revoke(userId: string, id: string): Promise<boolean> {
    const result = await this.tokens.update({ id, userId, revokedAt: IsNull() }, { revokedAt: new Date() });
    return result.affected === 1;
  }

  async revokeAllForUser(userId: string): Promise<void> {
    await this.tokens.update({ userId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /** On every request a personal access token signs: by the entity reader (decision 81). */
  findLiveByHash(tokenHash: string): Promise<ApiTokenEntity | null> {
    return this.tx.findOneWhere(ApiTokenEntity, 'token_hash = $1 AND revoked_at IS NULL', [tokenHash]);
  }

  async touch(id: string): Promise<void> {
    await this.tokens.update({ id }, { lastUsedAt: new Date() });
  }
}
