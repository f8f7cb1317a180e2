import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { newId } from '../../database/ids';
import { insertable, Transactions } from '../../database/transactions';
import { SessionEntity } from './entities/session.entity';

/** `sessions`: one row per refresh token, grouped into families (a sign-in and its rotations). */
@Injectable()
export class SessionsRepository {
  constructor(private readonly tx: Transactions) {}

  private get sessions() {
    return this.tx.repository(SessionEntity);
  }

  async insert(
    row: Pick<SessionEntity, 'userId' | 'familyId' | 'tokenHash' | 'userAgent' | 'ip' | 'expiresAt'>,
  ): Promise<SessionEntity> {
    const session = Object.assign(new SessionEntity(), {
      id: newId(),
      ...row,
      lastUsedAt: new Date(),
      revokedAt: null,
      revokedReason: null,
      successorToken: null,
    });
    await this.sessions.insert(insertable(session));
    return session;
  }

  /**
   * Whether the account has signed in from this device before: a session of it, opened within
   * `days`, with the same IP address and user agent, that ended (if it did) in the ordinary way
   * (rotated, signed out on that device, expired) — not one its owner signed out from elsewhere,
   * with everything else, or that was ended by a password change or a stolen token.
   */
  async seenDevice(userId: string, ip: string | null, userAgent: string | null, days: number): Promise<boolean> {
    const [row] = await this.tx.manager.query<Array<{ seen: boolean }>>(
      `SELECT EXISTS (
         SELECT 1 FROM sessions
          WHERE user_id = $1 AND ip IS NOT DISTINCT FROM $2 AND user_agent IS NOT DISTINCT FROM $3
            AND created_at > now() - make_interval(days => $4)
            AND (revoked_reason IS NULL OR revoked_reason IN ('rotated', 'logout', 'expired'))
       ) AS seen`,
      [userId, ip, userAgent, days],
    );
    return row?.seen === true;
  }

  findByTokenHash(tokenHash: string): Promise<SessionEntity | null> {
    return this.sessions.findOneBy({ tokenHash });
  }

  /**
   * Retires one token for rotation, keeping its (sealed) successor; false when someone else
   * retired it first (the update waits for their transaction, so a row read afterwards is final).
   */
  async retire(id: string, successorToken: string): Promise<boolean> {
    const result = await this.sessions.update(
      { id, revokedAt: IsNull() },
      { revokedAt: new Date(), revokedReason: 'rotated', successorToken },
    );
    return result.affected === 1;
  }

  async revokeFamily(familyId: string, reason: string): Promise<void> {
    await this.sessions.update({ familyId, revokedAt: IsNull() }, { revokedAt: new Date(), revokedReason: reason });
  }

  /** Whether any token of the family is still live. */
  hasLive(familyId: string): Promise<boolean> {
    return this.sessions.existsBy({ familyId, revokedAt: IsNull() });
  }

  listLive(userId: string): Promise<SessionEntity[]> {
    return this.sessions.find({ where: { userId, revokedAt: IsNull() }, order: { lastUsedAt: 'DESC' } });
  }

  findLiveFamily(userId: string, familyId: string): Promise<SessionEntity | null> {
    return this.sessions.findOneBy({ userId, familyId, revokedAt: IsNull() });
  }

  /** When each session of a user began (its first token), by family id. */
  async familyStarts(userId: string): Promise<Map<string, Date>> {
    const rows = await this.sessions
      .createQueryBuilder('s')
      .select('s.family_id', 'familyId')
      .addSelect('min(s.created_at)', 'startedAt')
      .where('s.user_id = :userId', { userId })
      .groupBy('s.family_id')
      .getRawMany<{ familyId: string; startedAt: Date }>();
    return new Map(rows.map((r) => [r.familyId, new Date(r.startedAt)]));
  }

  /** Sessions revoked or expired more than a day ago. */
  async deleteEnded(): Promise<number> {
    const result = await this.sessions
      .createQueryBuilder()
      .delete()
      .where(`revoked_at < now() - interval '1 day' OR expires_at < now() - interval '1 day'`)
      .execute();
    return result.affected ?? 0;
  }
}
