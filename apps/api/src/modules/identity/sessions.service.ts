import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { ErrorCode } from '@atrium/contracts';
import { ApiException } from '../../common/http/api.exception';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import { newId } from '../../database/ids';
import { AuditService } from '../audit/audit.service';
import { SessionEntity } from './entities/session.entity';
import { SecurityStore } from './security-store';
import { randomToken, sha256 } from './tokens.service';

const DAY_MS = 86_400_000;

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

export interface IssuedSession {
  session: SessionEntity;
  refreshToken: string;
}

const invalidRefresh = (): ApiException =>
  new ApiException(401, ErrorCode.UNAUTHENTICATED, 'The refresh token is invalid or has expired; sign in again');

/**
 * Sign-in sessions: refresh tokens stored hashed, rotated on every use, families revoked as a
 * whole when a rotated token comes back (someone else holds a copy).
 */
@Injectable()
export class SessionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectConfig() private readonly config: AppConfig,
    private readonly store: SecurityStore,
    private readonly audit: AuditService,
  ) {}

  private get repository() {
    return this.dataSource.getRepository(SessionEntity);
  }

  async create(userId: string, client: ClientInfo): Promise<IssuedSession> {
    const now = new Date();
    return this.issue({
      userId,
      familyId: newId(),
      expiresAt: new Date(now.getTime() + this.config.auth.refreshTtlDays * DAY_MS),
      client,
    });
  }

  private async issue(input: {
    userId: string;
    familyId: string;
    expiresAt: Date;
    client: ClientInfo;
  }): Promise<IssuedSession> {
    const refreshToken = randomToken();
    const session = await this.repository.save(
      Object.assign(new SessionEntity(), {
        userId: input.userId,
        familyId: input.familyId,
        tokenHash: sha256(refreshToken),
        userAgent: input.client.userAgent?.slice(0, 512) ?? null,
        ip: input.client.ip,
        lastUsedAt: new Date(),
        expiresAt: input.expiresAt,
        revokedAt: null,
        revokedReason: null,
      }),
    );
    return { session, refreshToken };
  }

  /** Exchanges a refresh token for a new one in the same family; a rotated token revokes the family. */
  async rotate(refreshToken: string, client: ClientInfo): Promise<IssuedSession> {
    const current = await this.repository.findOne({ where: { tokenHash: sha256(refreshToken) } });
    if (!current) throw invalidRefresh();
    if (current.revokedAt) {
      if (current.revokedReason === 'rotated') {
        await this.revokeFamily(current.familyId, 'reuse_detected');
        await this.audit.record({
          actorId: current.userId,
          action: 'session.refresh_reuse',
          target: `session:${current.familyId}`,
          ...client,
        });
      }
      throw invalidRefresh();
    }
    const now = Date.now();
    const idleLimit = current.lastUsedAt.getTime() + this.config.auth.refreshIdleDays * DAY_MS;
    if (current.expiresAt.getTime() <= now || idleLimit <= now) {
      await this.revokeFamily(current.familyId, 'expired');
      throw invalidRefresh();
    }
    // Only one caller can retire the token: a second, concurrent use counts as reuse.
    const retired = await this.repository.update(
      { id: current.id, revokedAt: IsNull() },
      { revokedAt: new Date(), revokedReason: 'rotated' },
    );
    if (retired.affected !== 1) {
      await this.revokeFamily(current.familyId, 'reuse_detected');
      throw invalidRefresh();
    }
    return this.issue({ userId: current.userId, familyId: current.familyId, expiresAt: current.expiresAt, client });
  }

  /** Ends a session (family) at once: its refresh token stops working, its access tokens are denied. */
  async revokeFamily(familyId: string, reason: string): Promise<void> {
    await this.repository.update({ familyId, revokedAt: IsNull() }, { revokedAt: new Date(), revokedReason: reason });
    await this.store.set(`revoked-sid:${familyId}`, this.config.auth.accessTtlSeconds);
  }

  /** Every session of a user, except `keepFamilyId` (the caller's own, for "sign out other devices"). */
  async revokeAllForUser(userId: string, reason: string, keepFamilyId?: string): Promise<number> {
    const active = await this.listActive(userId);
    const ended = active.filter((s) => s.familyId !== keepFamilyId);
    for (const session of ended) await this.revokeFamily(session.familyId, reason);
    return ended.length;
  }

  async isRevoked(familyId: string): Promise<boolean> {
    try {
      return await this.store.has(`revoked-sid:${familyId}`);
    } catch {
      // The denylist lives as long as an access token; when Redis cannot answer, the database can.
      return !(await this.repository.exists({ where: { familyId, revokedAt: IsNull() } }));
    }
  }

  /** The live sessions of a user, most recently used first (one row per family). */
  listActive(userId: string): Promise<SessionEntity[]> {
    return this.repository.find({ where: { userId, revokedAt: IsNull() }, order: { lastUsedAt: 'DESC' } });
  }

  /** When each session of a user began (its first token), by family id. */
  async familyStarts(userId: string): Promise<Map<string, Date>> {
    const rows = await this.repository
      .createQueryBuilder('s')
      .select('s.family_id', 'familyId')
      .addSelect('min(s.created_at)', 'startedAt')
      .where('s.user_id = :userId', { userId })
      .groupBy('s.family_id')
      .getRawMany<{ familyId: string; startedAt: Date }>();
    return new Map(rows.map((r) => [r.familyId, new Date(r.startedAt)]));
  }

  async findActiveFamily(userId: string, familyId: string): Promise<SessionEntity | null> {
    return this.repository.findOne({ where: { userId, familyId, revokedAt: IsNull() } });
  }
}
