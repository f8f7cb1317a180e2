import { Injectable } from '@nestjs/common';
import { Transactions } from '../../database/transactions';
import { UserEntity } from '../identity/entities/user.entity';
import type { SqlCondition } from './policy.service';
import type { SortDirection } from '../../common/http/list';

export type UserStatusFilter = 'active' | 'inactive' | 'unverified' | 'deleted' | undefined;

/** Sort keys of the users list and the column each one orders by (ms precision, like the cursor). */
export const USER_SORT_COLUMNS = {
  createdAt: `date_trunc('milliseconds', u.created_at)`,
  username: 'u.username_normalized',
  email: 'u.email_normalized',
} as const;

export interface UserSearch {
  search?: string;
  role?: string;
  status: UserStatusFilter;
  /** The caller's read rules as SQL (the policy service). */
  access: SqlCondition;
  sort: ReadonlyArray<{ column: string; direction: SortDirection }>;
  /** Keyset: rows after this condition. */
  after?: SqlCondition;
}

/** What the users list shows of an account, and the normalized names its cursors carry. */
export type DirectoryUser = Pick<
  UserEntity,
  | 'id'
  | 'email'
  | 'username'
  | 'firstName'
  | 'lastName'
  | 'isActive'
  | 'emailVerifiedAt'
  | 'totpEnabledAt'
  | 'createdAt'
  | 'deletedAt'
  | 'usernameNormalized'
  | 'emailNormalized'
>;

/** A row of the list's select, by column name. */
interface DirectoryRow {
  id: string;
  email: string;
  username: string;
  first_name: string | null;
  last_name: string | null;
  is_active: boolean;
  email_verified_at: Date | null;
  totp_enabled_at: Date | null;
  created_at: Date;
  deleted_at: Date | null;
  username_normalized: string;
  email_normalized: string;
}

/** The columns of `DirectoryRow`: never the credentials (hashes, TOTP secrets, recovery codes). */
const DIRECTORY_COLUMNS =
  'u.id, u.email, u.username, u.first_name, u.last_name, u.is_active, u.email_verified_at, u.totp_enabled_at, u.created_at, u.deleted_at, u.username_normalized, u.email_normalized';

const STATUS_CONDITION: Record<NonNullable<UserStatusFilter> | 'any', string> = {
  deleted: 'u.deleted_at IS NOT NULL',
  inactive: 'u.deleted_at IS NULL AND u.is_active = false',
  unverified: 'u.deleted_at IS NULL AND u.is_active = true AND u.email_verified_at IS NULL',
  active: 'u.deleted_at IS NULL AND u.is_active = true AND u.email_verified_at IS NOT NULL',
  any: 'u.deleted_at IS NULL',
};

const userOf = (row: DirectoryRow): DirectoryUser => ({
  id: row.id,
  email: row.email,
  username: row.username,
  firstName: row.first_name,
  lastName: row.last_name,
  isActive: row.is_active,
  emailVerifiedAt: row.email_verified_at,
  totpEnabledAt: row.totp_enabled_at,
  createdAt: row.created_at,
  deletedAt: row.deleted_at,
  usernameNormalized: row.username_normalized,
  emailNormalized: row.email_normalized,
});

/** A page's bound, written into the statement: an integer, or nothing is sent. */
function bound(value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`Not a row count: ${value}`);
  return value;
}

/**
 * The administration's view of accounts (a read model over `users` and `user_roles`): search,
 * filters, multi-key sort and both paging modes, in one statement per page (plus a count in offset
 * mode). Written as SQL and read raw, the columns the list shows only: the query builder's
 * statement-writing and entity hydration were most of the page's CPU, and it read every column,
 * the credentials too (decision 120).
 */
@Injectable()
export class UserDirectoryRepository {
  constructor(private readonly tx: Transactions) {}

  /** The conditions of `search` as one SQL clause, its named parameters beside it. */
  private where(search: UserSearch): { sql: string; params: Record<string, unknown> } {
    const conditions = [`(${search.access.sql})`];
    const params: Record<string, unknown> = { ...search.access.params };
    if (search.search) {
      conditions.push(
        `(u.username_normalized LIKE :q OR u.email_normalized LIKE :q OR lower(coalesce(u.first_name, '')) LIKE :q OR lower(coalesce(u.last_name, '')) LIKE :q)`,
      );
      params.q = `%${search.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    }
    if (search.role) {
      conditions.push(
        `EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id
                  WHERE ur.user_id = u.id AND r.name = :role AND (ur.expires_at IS NULL OR ur.expires_at > now()))`,
      );
      params.role = search.role;
    }
    conditions.push(STATUS_CONDITION[search.status ?? 'any']);
    if (search.after) {
      conditions.push(`(${search.after.sql})`);
      Object.assign(params, search.after.params);
    }
    return { sql: conditions.join(' AND '), params };
  }

  /** The statement with its named parameters made positional (`:name` → `$n`), as the driver sends it. */
  private rows(sql: string, params: Record<string, unknown>): Promise<Array<Record<string, unknown>>> {
    const [text, values] = this.tx.manager.connection.driver.escapeQueryWithParameters(sql, params);
    return this.tx.rawRows(text, values);
  }

  private select(
    search: UserSearch,
    { sql, params }: { sql: string; params: Record<string, unknown> },
    limit: number,
    offset = 0,
  ): Promise<DirectoryUser[]> {
    const order = [...search.sort.map((key) => `${key.column} ${key.direction}`), 'u.id ASC'].join(', ');
    return this.rows(
      `SELECT ${DIRECTORY_COLUMNS} FROM users u WHERE ${sql} ORDER BY ${order} LIMIT ${bound(limit)} OFFSET ${bound(offset)}`,
      params,
    ).then((rows) => (rows as unknown as DirectoryRow[]).map(userOf));
  }

  /** One page by offset, with the total. */
  async page(search: UserSearch, offset: number, limit: number): Promise<[DirectoryUser[], number]> {
    const where = this.where(search);
    const users = await this.select(search, where, limit, offset);
    // A page that is not full is the last one: the total is known without counting (as TypeORM's
    // getManyAndCount knew it), unless it is empty past the first.
    if (users.length < limit && (users.length > 0 || offset === 0)) return [users, offset + users.length];
    const { sql, params } = where;
    const [{ n }] = (await this.rows(`SELECT count(*)::int AS n FROM users u WHERE ${sql}`, params)) as Array<{
      n: number;
    }>;
    return [users, n];
  }

  /** Up to `limit` rows after the keyset condition (no count). */
  slice(search: UserSearch, limit: number): Promise<DirectoryUser[]> {
    return this.select(search, this.where(search), limit);
  }
}
