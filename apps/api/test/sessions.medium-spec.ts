import { createHash } from 'node:crypto';
import { ErrorCode } from '@atrium/contracts';
import { requestContext } from '../src/common/context/request-context';
import { SessionsService } from '../src/modules/identity/sessions.service';
import { insertUser, mediumTier } from './support/medium';

/**
 * SessionsService on a real database, through its public methods only: sign-in sessions are
 * refresh-token families; every use rotates the token, and a rotated token that comes back
 * (someone else kept a copy) ends its whole family.
 */
describe('SessionsService (medium)', () => {
  const medium = mediumTier();
  const sessions = (): SessionsService => medium.app.get(SessionsService);
  /** What the HTTP server puts in the request context of a sign-in. */
  const device = { requestId: 'medium-1', ip: '203.0.113.7', userAgent: 'MediumSpec/1.0 (a phone)' };
  const fromDevice = <T>(work: () => Promise<T>): Promise<T> => requestContext.run({ ...device }, work);

  /** Time passes past the refresh grace period for a token already rotated. */
  const pastGrace = async (refreshToken: string): Promise<void> => {
    await medium.sql(`UPDATE sessions SET revoked_at = now() - interval '1 hour' WHERE token_hash = $1`, [
      createHash('sha256').update(refreshToken).digest('hex'),
    ]);
  };

  /** The refusal every bad refresh token gets: 401 UNAUTHENTICATED, whatever the reason. */
  const refused = { status: 401, code: ErrorCode.UNAUTHENTICATED };
  const refusalOf = (error: unknown): { status: number; code: unknown } => {
    const { getStatus, code } = error as { getStatus?: () => number; code?: unknown };
    return { status: getStatus?.call(error) ?? -1, code };
  };
  const rejection = (work: Promise<unknown>): Promise<{ status: number; code: unknown }> =>
    work.then(
      () => ({ status: 200, code: 'no refusal' }),
      (error: unknown) => refusalOf(error),
    );
  const familyIds = async (userId: string): Promise<string[]> =>
    (await sessions().listLive(userId, null)).map((s) => s.id).sort();

  it('create issues a session in a new family, with the device the request came from', async () => {
    const user = await insertUser(medium);
    const first = await fromDevice(() => sessions().create(user.id));
    const second = await fromDevice(() => sessions().create(user.id));

    expect(first.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(first.session).toMatchObject({
      userId: user.id,
      ip: device.ip,
      userAgent: device.userAgent,
      revokedAt: null,
    });
    expect(second.session.familyId).not.toBe(first.session.familyId);
    const days = (first.session.expiresAt.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeCloseTo(medium.config.auth.refreshTtlDays, 1);

    expect(await familyIds(user.id)).toEqual([first.session.familyId, second.session.familyId].sort());
    expect(await sessions().isRevoked(first.session.familyId)).toBe(false);
    // Nobody else's sessions are listed.
    expect(await sessions().listLive((await insertUser(medium)).id, null)).toEqual([]);
  });

  it('rotate exchanges the token for a new one in the same family, keeping its expiry; the old one is spent', async () => {
    const user = await insertUser(medium);
    const issued = await fromDevice(() => sessions().create(user.id));
    const rotated = await fromDevice(() => sessions().rotate(issued.refreshToken));

    expect(rotated.refreshToken).not.toBe(issued.refreshToken);
    expect(rotated.session).toMatchObject({ userId: user.id, familyId: issued.session.familyId, revokedAt: null });
    expect(rotated.session.id).not.toBe(issued.session.id);
    expect(rotated.session.expiresAt.getTime()).toBe(issued.session.expiresAt.getTime());
    // Still one session, now held by the new token, which rotates in turn.
    expect(await familyIds(user.id)).toEqual([issued.session.familyId]);
    const again = await fromDevice(() => sessions().rotate(rotated.refreshToken));
    expect(again.session.familyId).toBe(issued.session.familyId);
    expect(await sessions().isRevoked(issued.session.familyId)).toBe(false);
  });

  it('a rotated token presented again ends the whole family (reuse detection), and nothing else', async () => {
    const user = await insertUser(medium);
    const stolen = await fromDevice(() => sessions().create(user.id));
    const otherDevice = await fromDevice(() => sessions().create(user.id));
    const current = await fromDevice(() => sessions().rotate(stolen.refreshToken));
    await pastGrace(stolen.refreshToken);

    // The thief (or the victim) presents the spent token: refused, and the family is revoked.
    expect(await rejection(fromDevice(() => sessions().rotate(stolen.refreshToken)))).toEqual(refused);
    expect(await sessions().isRevoked(stolen.session.familyId)).toBe(true);
    // So the token that was current is worthless too.
    expect(await rejection(fromDevice(() => sessions().rotate(current.refreshToken)))).toEqual(refused);
    expect(await familyIds(user.id)).toEqual([otherDevice.session.familyId]);
    expect(await sessions().isRevoked(otherDevice.session.familyId)).toBe(false);
    // Audited once, against the owner.
    const audited = await medium.sql<{ actor_id: string; target: string }>(
      `SELECT "actor_id", "target" FROM "audit_events" WHERE "action" = 'session.refresh_reuse' AND "actor_id" = $1`,
      [user.id],
    );
    expect(audited).toEqual([{ actor_id: user.id, target: `session:${stolen.session.familyId}` }]);
  });

  it('two rotations of one token at once (two tabs, a retry) get the same successor; the session lives on', async () => {
    const user = await insertUser(medium);
    const issued = await fromDevice(() => sessions().create(user.id));
    const [first, second] = await Promise.all([
      fromDevice(() => sessions().rotate(issued.refreshToken)),
      fromDevice(() => sessions().rotate(issued.refreshToken)),
    ]);
    expect(second.refreshToken).toBe(first.refreshToken);
    expect(second.session.id).toBe(first.session.id);
    expect(await sessions().isRevoked(issued.session.familyId)).toBe(false);
    // Within the grace period a third presentation still gets it; the successor itself rotates on.
    expect((await fromDevice(() => sessions().rotate(issued.refreshToken))).refreshToken).toBe(first.refreshToken);
    const next = await fromDevice(() => sessions().rotate(first.refreshToken));
    expect(next.refreshToken).not.toBe(first.refreshToken);
    // Now the original token's successor is spent: presenting the original counts as reuse.
    expect(await rejection(fromDevice(() => sessions().rotate(issued.refreshToken)))).toEqual(refused);
    expect(await familyIds(user.id)).toEqual([]);
  });

  it('refuses a token it never issued, without touching anyone', async () => {
    const user = await insertUser(medium);
    const issued = await fromDevice(() => sessions().create(user.id));
    expect(await rejection(fromDevice(() => sessions().rotate('A'.repeat(43))))).toEqual(refused);
    expect(await familyIds(user.id)).toEqual([issued.session.familyId]);
  });
});
