import { Injectable } from '@nestjs/common';
import { requestContext } from '../../common/context/request-context';
import { SecretBox } from '../../common/crypto/secret-box';
import { Errors } from '../../common/http/errors';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import { newId } from '../../database/ids';
import { Transactions } from '../../database/transactions';
import { AuditService } from '../audit/audit.service';
import type { SessionDto } from './dto/auth.dto';
import { toSessionDto } from './dto/identity.mappers';
import type { SessionEntity } from './entities/session.entity';
import { SecurityStore } from './security-store';
import { SessionsRepository } from './sessions.repository';
import { randomToken, sha256 } from './tokens.service';

const DAY_MS = 86_400_000;
/** How long a replica trusts a "this session is live" answer from the database. */
export const LIVE_CACHE_MS = 1_000;
const LIVE_CACHE_ENTRIES = 10_000;

export interface IssuedSession {
  session: SessionEntity;
  refreshToken: string;
}

/** How long a device stays known to an account after a sign-in from it (no "new sign-in" mail). */
export const KNOWN_DEVICE_DAYS = 90;

/** The requesting device as a session records it. */
function clientOf(): { ip: string | null; userAgent: string | null } {
  const client = requestContext.current();
  return { ip: client?.ip ?? null, userAgent: client?.userAgent?.slice(0, 512) ?? null };
}

const invalidRefresh = () => Errors.unauthenticated('The refresh token is invalid or has expired; sign in again');

/**
 * Sign-in sessions: refresh tokens stored hashed, rotated on every use, families revoked as a
 * whole when a rotated token comes back (someone else holds a copy). The device's IP and user
 * agent come from the request context.
 */
@Injectable()
export class SessionsService {
  /** Sessions confirmed live in the database, until when (per process, bounded). */
  private readonly live = new Map<string, number>();
  private readonly box: SecretBox;

  constructor(
    private readonly sessions: SessionsRepository,
    private readonly transactions: Transactions,
    @InjectConfig() private readonly config: AppConfig,
    private readonly store: SecurityStore,
    private readonly audit: AuditService,
  ) {
    this.box = new SecretBox(config.dataEncryptionKey, 'refresh-successor');
  }

  /**
   * Whether the requesting device (its IP address and user agent) has a session of this account
   * from the last KNOWN_DEVICE_DAYS that ended in the ordinary way: a sign-in from it is no news.
   */
  knownDevice(userId: string): Promise<boolean> {
    const { ip, userAgent } = clientOf();
    return this.sessions.seenDevice(userId, ip, userAgent, KNOWN_DEVICE_DAYS);
  }

  create(userId: string): Promise<IssuedSession> {
    return this.issue(userId, newId(), new Date(Date.now() + this.config.auth.refreshTtlDays * DAY_MS));
  }

  private async issue(
    userId: string,
    familyId: string,
    expiresAt: Date,
    refreshToken = randomToken(),
  ): Promise<IssuedSession> {
    const session = await this.sessions.insert({
      userId,
      familyId,
      tokenHash: sha256(refreshToken),
      ...clientOf(),
      expiresAt,
    });
    return { session, refreshToken };
  }

  /**
   * Exchanges a refresh token for a new one in the same family. A rotated token presented again
   * within the grace period (two tabs, a retry) gets the same successor; later it revokes the
   * whole family (someone else holds a copy).
   */
  async rotate(refreshToken: string): Promise<IssuedSession> {
    const current = await this.sessions.findByTokenHash(sha256(refreshToken));
    if (!current) throw invalidRefresh();
    if (current.revokedAt) return this.replayOrRefuse(current);
    const now = Date.now();
    const idleLimit = current.lastUsedAt.getTime() + this.config.auth.refreshIdleDays * DAY_MS;
    if (current.expiresAt.getTime() <= now || idleLimit <= now) {
      await this.revokeFamily(current.familyId, 'expired');
      throw invalidRefresh();
    }
    const successor = randomToken();
    const rotated = await this.transactions.run(async () => {
      // Only one caller retires the token; a concurrent one waits here for it to commit.
      if (!(await this.sessions.retire(current.id, this.box.seal(successor)))) return null;
      return this.issue(current.userId, current.familyId, current.expiresAt, successor);
    });
    if (rotated) return rotated;
    const retired = await this.sessions.findByTokenHash(sha256(refreshToken));
    return this.replayOrRefuse(retired ?? current);
  }

  /** A retired token: the same successor within the grace period, else the end of the family. */
  private async replayOrRefuse(retired: SessionEntity): Promise<IssuedSession> {
    const replay = await this.successorWithinGrace(retired);
    if (replay) return replay;
    if (retired.revokedReason === 'rotated') {
      await this.transactions.run(async () => {
        await this.revokeFamily(retired.familyId, 'reuse_detected');
        await this.audit.record({
          actorId: retired.userId,
          action: 'session.refresh_reuse',
          target: `session:${retired.familyId}`,
        });
      });
    }
    throw invalidRefresh();
  }

  private async successorWithinGrace(retired: SessionEntity): Promise<IssuedSession | null> {
    const graceMs = this.config.auth.refreshReuseGraceSeconds * 1000;
    if (retired.revokedReason !== 'rotated' || !retired.successorToken || !retired.revokedAt || graceMs === 0) {
      return null;
    }
    if (Date.now() - retired.revokedAt.getTime() > graceMs) return null;
    const refreshToken = this.box.open(retired.successorToken);
    const session = await this.sessions.findByTokenHash(sha256(refreshToken));
    // The successor must still be the live end of the family (not rotated on or revoked since).
    if (!session || session.revokedAt) return null;
    return { session, refreshToken };
  }

  /**
   * Ends a session (family) at once: its refresh token stops working, its access tokens are
   * denied. The sessions table is written first and is the truth; the announcement to the other
   * replicas (SecurityStore) only makes them see it without waiting out their short "live" cache.
   */
  async revokeFamily(familyId: string, reason: string): Promise<void> {
    await this.sessions.revokeFamily(familyId, reason);
    await this.transactions.afterCommit(async () => {
      this.live.delete(familyId);
      await this.store.deny(familyId, this.config.auth.accessTtlSeconds);
    });
  }

  /** Every session of a user, except `keepFamilyId` (the caller's own, for "sign out other devices"). */
  async revokeAllForUser(userId: string, reason: string, keepFamilyId?: string): Promise<number> {
    const ended = (await this.sessions.listLive(userId)).filter((s) => s.familyId !== keepFamilyId);
    for (const session of ended) await this.revokeFamily(session.familyId, reason);
    return ended.length;
  }

  /**
   * Fail-closed revocation (docs/DECISIONS.md): a revocation this process knows of is final; any
   * other session — one whose announcement a Redis outage lost too — is confirmed against the
   * sessions table, whose "live" answer this process reuses for LIVE_CACHE_MS only.
   */
  async isRevoked(familyId: string): Promise<boolean> {
    if (this.store.isDenied(familyId)) {
      // Forget any "live" answer of ours: should this process forget the revocation (its bound),
      // the next check must ask the database, not trust a stale cache.
      this.live.delete(familyId);
      return true;
    }
    const until = this.live.get(familyId);
    if (until !== undefined && until > Date.now()) return false;
    const live = await this.sessions.hasLive(familyId);
    if (live) {
      if (this.live.size >= LIVE_CACHE_ENTRIES) this.live.delete(this.live.keys().next().value as string);
      this.live.set(familyId, Date.now() + LIVE_CACHE_MS);
    } else {
      this.live.delete(familyId);
    }
    return !live;
  }

  /** The live sessions (devices) of a user, most recently used first, the caller's own marked. */
  async listLive(userId: string, currentSessionId: string | null): Promise<SessionDto[]> {
    const [live, started] = await Promise.all([this.sessions.listLive(userId), this.sessions.familyStarts(userId)]);
    return live.map((s) =>
      toSessionDto(Object.assign(s, { startedAt: started.get(s.familyId) ?? s.createdAt }), currentSessionId),
    );
  }

  /** Signs the caller's own session out. */
  async signOut(userId: string, familyId: string): Promise<void> {
    await this.transactions.run(async () => {
      await this.revokeFamily(familyId, 'logout');
      await this.audit.record({ actorId: userId, action: 'auth.logout', target: `session:${familyId}` });
    });
  }

  /** Ends every session of the user; how many there were. */
  async signOutEverywhere(userId: string): Promise<number> {
    return this.transactions.run(async () => {
      const ended = await this.revokeAllForUser(userId, 'logout_all');
      await this.audit.record({ actorId: userId, action: 'auth.logout_all', target: `user:${userId}` });
      return ended;
    });
  }

  /** Ends one of the user's own sessions; another user's session id is a 404 too (nothing tells it exists). */
  async revokeOwn(userId: string, familyId: string): Promise<void> {
    if (!(await this.sessions.findLiveFamily(userId, familyId))) throw Errors.notFound('session');
    await this.transactions.run(async () => {
      await this.revokeFamily(familyId, 'revoked');
      await this.audit.record({ actorId: userId, action: 'auth.session_revoked', target: `session:${familyId}` });
    });
  }
}
