import { ErrorCode, SystemRole } from '@atrium/contracts';
import type { DataSource } from 'typeorm';
import { ApiException } from '../../common/http/api.exception';
import { newId } from '../../database/ids';
import { normalizeEmail, normalizeUsername } from '../identity/auth.service';
import type { PasswordsService } from '../identity/passwords.service';

export interface FirstAdminInput {
  email: string;
  username: string;
  password: string;
}

export type FirstAdminOutcome = 'created' | 'promoted' | 'admin-exists';

/**
 * Makes sure an admin exists: creates the account (email marked verified) or promotes an
 * existing one with that email. Idempotent: with an active admin present it changes nothing.
 * Used by `npm run cli -- create-admin` and by the start-up bootstrap (ADMIN_EMAIL/ADMIN_PASSWORD).
 */
export async function ensureFirstAdmin(
  dataSource: DataSource,
  passwords: PasswordsService,
  input: FirstAdminInput,
  source: string,
): Promise<FirstAdminOutcome> {
  const verdict = await passwords.check(input.password, [input.email, input.username]);
  if (!verdict.ok) {
    throw new ApiException(400, ErrorCode.VALIDATION_ERROR, `The admin password is too weak: ${verdict.message ?? ''}`);
  }
  const passwordHash = await passwords.hash(input.password);
  return dataSource.transaction(async (tx) => {
    // One bootstrap at a time, even with several replicas starting together.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('atrium:first-admin'))`);
    const [{ exists }] = await tx.query<Array<{ exists: boolean }>>(
      `SELECT EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id JOIN users u ON u.id = ur.user_id
        WHERE r.name = $1 AND u.deleted_at IS NULL AND u.is_active
          AND (ur.expires_at IS NULL OR ur.expires_at > now())) AS exists`,
      [SystemRole.ADMIN],
    );
    if (exists) return 'admin-exists';
    const [existing] = await tx.query<Array<{ id: string }>>(
      `SELECT id FROM users WHERE email_normalized = $1 AND deleted_at IS NULL`,
      [normalizeEmail(input.email)],
    );
    let userId = existing?.id;
    if (!userId) {
      userId = newId();
      await tx.query(
        `INSERT INTO users (id, email, email_normalized, username, username_normalized, password_hash, email_verified_at)
         VALUES ($1, $2, $3, $4, $5, $6, now())`,
        [
          userId,
          input.email.trim(),
          normalizeEmail(input.email),
          input.username.trim(),
          normalizeUsername(input.username),
          passwordHash,
        ],
      );
    }
    for (const role of [SystemRole.ADMIN, SystemRole.USER]) {
      await tx.query(
        `INSERT INTO user_roles (id, user_id, role_id) SELECT $1, $2, id FROM roles WHERE name = $3
         ON CONFLICT (user_id, role_id) DO UPDATE SET expires_at = NULL`,
        [newId(), userId, role],
      );
    }
    await tx.query(
      `INSERT INTO audit_events (id, actor_id, action, target, metadata) VALUES ($1, NULL, 'admin.bootstrapped', $2, $3)`,
      [newId(), `user:${userId}`, JSON.stringify({ source, promoted: !!existing })],
    );
    return existing ? 'promoted' : 'created';
  });
}
