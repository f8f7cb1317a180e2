import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface HeldRoleRow {
  id: string;
  name: string;
  level: number;
  /** Milliseconds until this assignment expires, by the database's clock; null when it does not. */
  expiresInMs: number | null;
}

export interface GrantRow {
  resource: string;
  action: string;
  conditions: Record<string, unknown> | null;
}

/**
 * What abilities are built from: a user's unexpired role assignments and their roles' permissions.
 * Reads go through the data source (committed data, autocommit), never a caller's transaction:
 * what is read here is cached, and uncommitted rows must never be.
 */
@Injectable()
export class GrantsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The roles a user holds now, highest level first. */
  rolesHeldBy(userId: string): Promise<HeldRoleRow[]> {
    return this.dataSource.query<HeldRoleRow[]>(
      `SELECT r.id, r.name, r.level,
              (extract(epoch FROM ur.expires_at - clock_timestamp()) * 1000)::float8 AS "expiresInMs"
         FROM user_roles ur JOIN roles r ON r.id = ur.role_id
        WHERE ur.user_id = $1 AND (ur.expires_at IS NULL OR ur.expires_at > clock_timestamp())
        ORDER BY r.level DESC, r.name`,
      [userId],
    );
  }

  /** Every permission the given roles grant (conditions uninterpolated). */
  permissionsOf(roleIds: readonly string[]): Promise<GrantRow[]> {
    if (roleIds.length === 0) return Promise.resolve([]);
    return this.dataSource.query<GrantRow[]>(
      `SELECT resource, action, conditions FROM permissions WHERE role_id = ANY($1::uuid[])`,
      [roleIds],
    );
  }
}
