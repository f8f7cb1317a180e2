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

/**
 * The administration's view of accounts (a read model over `users` and `user_roles`): search,
 * filters, multi-key sort and both paging modes, in one query per page (plus a count in offset mode).
 */
@Injectable()
export class UserDirectoryRepository {
  constructor(private readonly tx: Transactions) {}

  private query(search: UserSearch) {
    const qb = this.tx.repository(UserEntity).createQueryBuilder('u');
    qb.andWhere(search.access.sql, search.access.params);
    if (search.search) {
      qb.andWhere(
        `(u.username_normalized LIKE :q OR u.email_normalized LIKE :q OR lower(coalesce(u.first_name, '')) LIKE :q OR lower(coalesce(u.last_name, '')) LIKE :q)`,
        { q: `%${search.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%` },
      );
    }
    if (search.role) {
      qb.andWhere(
        `EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id
                  WHERE ur.user_id = u.id AND r.name = :role AND (ur.expires_at IS NULL OR ur.expires_at > now()))`,
        { role: search.role },
      );
    }
    switch (search.status) {
      case 'deleted':
        qb.andWhere('u.deleted_at IS NOT NULL');
        break;
      case 'inactive':
        qb.andWhere('u.deleted_at IS NULL AND u.is_active = false');
        break;
      case 'unverified':
        qb.andWhere('u.deleted_at IS NULL AND u.is_active = true AND u.email_verified_at IS NULL');
        break;
      case 'active':
        qb.andWhere('u.deleted_at IS NULL AND u.is_active = true AND u.email_verified_at IS NOT NULL');
        break;
      case undefined:
        qb.andWhere('u.deleted_at IS NULL');
        break;
    }
    for (const [i, key] of search.sort.entries()) {
      if (i === 0) qb.orderBy(key.column, key.direction);
      else qb.addOrderBy(key.column, key.direction);
    }
    return qb.addOrderBy('u.id', 'ASC');
  }

  /** One page by offset, with the total. */
  async page(search: UserSearch, offset: number, limit: number): Promise<[UserEntity[], number]> {
    return this.query(search).offset(offset).limit(limit).getManyAndCount();
  }

  /** Up to `limit` rows after the keyset condition (no count). */
  async slice(search: UserSearch, limit: number): Promise<UserEntity[]> {
    const qb = this.query(search);
    if (search.after) qb.andWhere(search.after.sql, search.after.params);
    return qb.limit(limit).getMany();
  }
}
