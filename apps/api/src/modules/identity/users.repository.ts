import { Injectable } from '@nestjs/common';
import { In, IsNull, Not, type QueryDeepPartialEntity } from 'typeorm';
import { newId } from '../../database/ids';
import { insertable, Transactions } from '../../database/transactions';
import { UserEntity } from './entities/user.entity';

export type NewUser = Pick<
  UserEntity,
  'email' | 'emailNormalized' | 'username' | 'usernameNormalized' | 'passwordHash' | 'firstName' | 'lastName'
> & { emailVerifiedAt: Date | null };

export type UserChanges = Partial<
  Pick<
    UserEntity,
    | 'firstName'
    | 'lastName'
    | 'bio'
    | 'preferences'
    | 'passwordHash'
    | 'isActive'
    | 'emailVerifiedAt'
    | 'deletedAt'
    | 'avatarKey'
    | 'totpSecret'
    | 'totpPendingSecret'
    | 'totpEnabledAt'
    | 'totpLastStep'
    | 'recoveryCodeHashes'
  >
>;

/** Postgres' unique_violation: two writers raced for the same email address or username. */
export class IdentifierTakenError extends Error {
  constructor() {
    super('identifier taken');
  }
}

/** The columns of an account its public profile shows. */
export type PublicProfileRow = Pick<
  UserEntity,
  'username' | 'firstName' | 'lastName' | 'bio' | 'avatarKey' | 'createdAt'
>;

/** Not deleted and not deactivated, as SQL. */
const ACTIVE = 'deleted_at IS NULL AND is_active = true';

/** `users`: the only writer of the table (docs/ARCHITECTURE.md). */
@Injectable()
export class UsersRepository {
  constructor(private readonly tx: Transactions) {}

  private get users() {
    return this.tx.repository(UserEntity);
  }

  // The one-row reads below run on every authenticated request (findActive) or public profile:
  // hand-written WHERE clauses read by the Transactions' entity reader (decision 81).
  findById(id: string): Promise<UserEntity | null> {
    return this.tx.findOneWhere(UserEntity, 'id = $1', [id]);
  }

  findByIds(ids: readonly string[]): Promise<UserEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.users.findBy({ id: In([...ids]) });
  }

  /** Not deleted and not deactivated. */
  findActive(id: string): Promise<UserEntity | null> {
    return this.tx.findOneWhere(UserEntity, `id = $1 AND ${ACTIVE}`, [id]);
  }

  /** A sign-in name: a normalized email address (with `@`) or username, among accounts not deleted. */
  findByLogin(login: string): Promise<UserEntity | null> {
    const column = login.includes('@') ? 'email_normalized' : 'username_normalized';
    return this.tx.findOneWhere(UserEntity, `${column} = $1 AND deleted_at IS NULL`, [login]);
  }

  findActiveByEmail(emailNormalized: string): Promise<UserEntity | null> {
    return this.tx.findOneWhere(UserEntity, `email_normalized = $1 AND ${ACTIVE}`, [emailNormalized]);
  }

  /**
   * What a public profile shows of an active account, read narrowly (decision 117): the six
   * columns, no entity. The account's credentials (password hash, two-factor secrets, email) never
   * leave the database for a page anyone may ask for, and a profile request parses and hydrates
   * none of the other columns.
   */
  async findPublicProfile(usernameNormalized: string): Promise<PublicProfileRow | null> {
    const rows = await this.tx.rawRows(
      `SELECT username, first_name, last_name, bio, avatar_key, created_at FROM users
        WHERE username_normalized = $1 AND ${ACTIVE} LIMIT 1`,
      [usernameNormalized],
    );
    if (rows.length === 0) return null;
    const row = rows[0];
    return {
      username: row.username as string,
      firstName: row.first_name as string | null,
      lastName: row.last_name as string | null,
      bio: row.bio as string | null,
      avatarKey: row.avatar_key as string | null,
      createdAt: row.created_at as Date,
    };
  }

  /** Accounts (deleted ones within their retention too) holding this email address or username. */
  findHolders(emailNormalized: string, usernameNormalized: string): Promise<UserEntity[]> {
    return this.users.find({
      where: [{ emailNormalized }, { usernameNormalized }],
      select: { id: true, emailNormalized: true, usernameNormalized: true },
    });
  }

  /** Another account (deleted ones within their retention too) holding this address or username. */
  async heldByOther(id: string, by: { emailNormalized: string } | { usernameNormalized: string }): Promise<boolean> {
    return this.users.existsBy({ ...by, id: Not(id) });
  }

  /** Inserts an account; throws `IdentifierTakenError` when the unique indexes refuse it. */
  async insert(input: NewUser): Promise<UserEntity> {
    const user = Object.assign(new UserEntity(), {
      id: newId(),
      ...input,
      bio: null,
      preferences: {},
      isActive: true,
      deletedAt: null,
      recoveryCodeHashes: [],
    });
    try {
      await this.users.insert(insertable(user));
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new IdentifierTakenError();
      throw error;
    }
    return (await this.findById(user.id)) as UserEntity;
  }

  async update(id: string, changes: UserChanges): Promise<void> {
    if (Object.keys(changes).length > 0) await this.users.update({ id }, changes as QueryDeepPartialEntity<UserEntity>);
  }

  /**
   * Moves an account to another address (verified: the link proved the mailbox) or username;
   * throws `IdentifierTakenError` when another account took it meanwhile (the unique indexes).
   */
  async changeIdentifier(
    id: string,
    changes: { email: string; emailNormalized: string } | { username: string; usernameNormalized: string },
  ): Promise<void> {
    const set = 'email' in changes ? { ...changes, emailVerifiedAt: new Date() } : changes;
    try {
      await this.users.update({ id }, set);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new IdentifierTakenError();
      throw error;
    }
  }

  /** Sets `email_verified_at` unless it is set already; whether this call set it. */
  async markEmailVerified(id: string): Promise<boolean> {
    const result = await this.users.update({ id, emailVerifiedAt: IsNull() }, { emailVerifiedAt: new Date() });
    return result.affected === 1;
  }

  /** Accepts a TOTP time step once: false when it (or a later one) was used already. */
  async acceptTotpStep(id: string, step: number): Promise<boolean> {
    const result = await this.users
      .createQueryBuilder()
      .update()
      .set({ totpLastStep: String(step) })
      .where('id = :id AND (totp_last_step IS NULL OR totp_last_step < :step)', { id, step })
      .execute();
    return result.affected === 1;
  }

  /** Uses up a recovery code (by hash) once: false when it is not (or no longer) among the user's. */
  async useRecoveryCode(id: string, hash: string): Promise<boolean> {
    const result = await this.users
      .createQueryBuilder()
      .update()
      .set({ recoveryCodeHashes: () => 'array_remove(recovery_code_hashes, :hash)' })
      .where('id = :id AND :hash = ANY(recovery_code_hashes)', { id, hash })
      .setParameters({ hash })
      .execute();
    return result.affected === 1;
  }

  /** Whether `key` is the avatar of an account that is not deleted. */
  hasAvatarKey(key: string): Promise<boolean> {
    return this.users.existsBy({ avatarKey: key, deletedAt: IsNull() });
  }

  /**
   * Sets an active user's avatar key and returns the one it replaced, in one statement: the row
   * lock makes concurrent uploads of one user queue up, so each sees (and frees) its predecessor's
   * key and no image is left behind or deleted while still in use. `found` is false when there is
   * no active user with that id (deleted meanwhile).
   */
  async swapAvatarKey(userId: string, key: string | null): Promise<{ found: boolean; previousKey: string | null }> {
    const rows = await this.tx.manager.query<Array<{ previousKey: string | null }>>(
      `WITH previous AS (
         SELECT id, avatar_key FROM users WHERE id = $1 AND deleted_at IS NULL AND is_active FOR UPDATE
       )
       UPDATE users SET avatar_key = $2, updated_at = now()
       FROM previous WHERE users.id = previous.id
       RETURNING previous.avatar_key AS "previousKey"`,
      [userId, key],
    );
    // UPDATE … RETURNING answers [rows, count] through the pg driver.
    const returned = (Array.isArray(rows[0]) ? rows[0] : rows) as Array<{ previousKey: string | null }>;
    return returned.length === 0
      ? { found: false, previousKey: null }
      : { found: true, previousKey: returned[0].previousKey };
  }

  /** Records a successful sign-in; whether it was the account's first (atomic under concurrency). */
  async recordSignIn(id: string): Promise<{ first: boolean }> {
    const [rows] = await this.tx.manager.query<[Array<{ before: Date | null }>, number]>(
      `UPDATE users u SET last_signed_in_at = now()
         FROM (SELECT id, last_signed_in_at AS before FROM users WHERE id = $1 FOR UPDATE) old
        WHERE u.id = old.id
        RETURNING old.before`,
      [id],
    );
    return { first: rows.length > 0 && rows[0].before === null };
  }

  /** Accounts deleted longer ago than `days` give up their email address and username. */
  async releaseDeletedIdentifiers(days: number): Promise<number> {
    const result = await this.users
      .createQueryBuilder()
      .update(UserEntity)
      .set({ emailNormalized: () => `'deleted:' || id`, usernameNormalized: () => `'deleted:' || id` })
      .where(`deleted_at < now() - make_interval(days => :days) AND email_normalized NOT LIKE 'deleted:%'`, { days })
      .execute();
    return result.affected ?? 0;
  }
}
