import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { SystemRole } from '@atrium/contracts';
import { newId } from '../../database/ids';
import { insertable, Transactions } from '../../database/transactions';
import { PermissionEntity } from './entities/permission.entity';
import { RoleEntity } from './entities/role.entity';
import { UserRoleEntity } from './entities/user-role.entity';

export interface RoleAssignment {
  userId: string;
  roleId: string;
  name: string;
  level: number;
  expiresAt: Date | null;
  assignedAt: Date;
}

export interface Grant {
  resource: string;
  action: string;
  conditions: Record<string, unknown> | null;
}

/** `roles`, `permissions` and `user_roles`: the only writer of the three. */
@Injectable()
export class RolesRepository {
  constructor(private readonly tx: Transactions) {}

  private get roles() {
    return this.tx.repository(RoleEntity);
  }

  private get permissions() {
    return this.tx.repository(PermissionEntity);
  }

  private get userRoles() {
    return this.tx.repository(UserRoleEntity);
  }

  list(): Promise<RoleEntity[]> {
    return this.roles.find({ order: { level: 'DESC', name: 'ASC' } });
  }

  findById(id: string): Promise<RoleEntity | null> {
    return this.roles.findOneBy({ id });
  }

  findByIds(ids: readonly string[]): Promise<RoleEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.roles.findBy({ id: In([...ids]) });
  }

  nameTaken(name: string): Promise<boolean> {
    return this.roles.existsBy({ name });
  }

  grantsOf(roleIds: readonly string[]): Promise<PermissionEntity[]> {
    return roleIds.length === 0 ? Promise.resolve([]) : this.permissions.findBy({ roleId: In([...roleIds]) });
  }

  async insert(role: Pick<RoleEntity, 'name' | 'description' | 'level'>): Promise<string> {
    const entity = Object.assign(new RoleEntity(), { id: newId(), ...role, isSystem: false });
    await this.roles.insert(entity);
    return entity.id;
  }

  async update(id: string, changes: Partial<Pick<RoleEntity, 'description' | 'level'>>): Promise<void> {
    await this.roles.update({ id }, changes);
  }

  async delete(id: string): Promise<void> {
    await this.roles.delete({ id });
  }

  /** Replaces a role's permissions (duplicates collapse). */
  async replaceGrants(roleId: string, grants: readonly Grant[]): Promise<void> {
    await this.permissions.delete({ roleId });
    const unique = new Map(grants.map((g) => [`${g.resource}:${g.action}|${JSON.stringify(g.conditions)}`, g]));
    if (unique.size === 0) return;
    await this.permissions.insert(
      [...unique.values()].map((g) => insertable(Object.assign(new PermissionEntity(), { id: newId(), roleId, ...g }))),
    );
  }

  /** Grants a system role (kept when held already; an expiry is lifted). */
  async assignSystemRole(userId: string, role: SystemRole, options: { keepExpiry: boolean }): Promise<void> {
    await this.tx.manager.query(
      `INSERT INTO user_roles (id, user_id, role_id) SELECT $1, $2, id FROM roles WHERE name = $3
       ON CONFLICT (user_id, role_id) DO ${options.keepExpiry ? 'NOTHING' : 'UPDATE SET expires_at = NULL'}`,
      [newId(), userId, role],
    );
  }

  findByName(name: string): Promise<RoleEntity | null> {
    return this.roles.findOneBy({ name });
  }

  /** Grants one role, or moves its expiry when held already. */
  async upsertAssignment(userId: string, roleId: string, expiresAt: Date | null): Promise<void> {
    await this.tx.manager.query(
      `INSERT INTO user_roles (id, user_id, role_id, expires_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id, role_id) DO UPDATE SET expires_at = EXCLUDED.expires_at, assigned_at = now()`,
      [newId(), userId, roleId, expiresAt],
    );
  }

  /** Replaces the roles a user holds. */
  async replaceAssignments(
    userId: string,
    assignments: ReadonlyArray<{ roleId: string; expiresAt: Date | null }>,
    assignedBy: string,
  ): Promise<void> {
    await this.userRoles.delete({ userId });
    if (assignments.length === 0) return;
    await this.userRoles.insert(
      assignments.map((a) =>
        insertable(
          Object.assign(new UserRoleEntity(), {
            id: newId(),
            userId,
            roleId: a.roleId,
            assignedBy,
            assignedAt: new Date(),
            expiresAt: a.expiresAt,
          }),
        ),
      ),
    );
  }

  /** The unexpired role assignments of many users in one query, highest level first. */
  async assignmentsOf(userIds: readonly string[]): Promise<Map<string, RoleAssignment[]>> {
    const byUser = new Map<string, RoleAssignment[]>(userIds.map((id) => [id, []]));
    if (userIds.length === 0) return byUser;
    const rows = await this.tx.manager.query<
      Array<{
        user_id: string;
        role_id: string;
        name: string;
        level: number;
        expires_at: Date | null;
        assigned_at: Date;
      }>
    >(
      `SELECT ur.user_id, ur.role_id, r.name, r.level, ur.expires_at, ur.assigned_at
         FROM user_roles ur JOIN roles r ON r.id = ur.role_id
        WHERE ur.user_id = ANY($1::uuid[]) AND (ur.expires_at IS NULL OR ur.expires_at > now())
        ORDER BY r.level DESC, r.name`,
      [[...userIds]],
    );
    for (const r of rows) {
      byUser.get(r.user_id)?.push({
        userId: r.user_id,
        roleId: r.role_id,
        name: r.name,
        level: r.level,
        expiresAt: r.expires_at ? new Date(r.expires_at) : null,
        assignedAt: new Date(r.assigned_at),
      });
    }
    return byUser;
  }

  /** Whether an active account holds the admin role now. */
  async activeAdminExists(): Promise<boolean> {
    const [row] = await this.tx.manager.query<Array<{ exists: boolean }>>(
      `SELECT EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id JOIN users u ON u.id = ur.user_id
        WHERE r.name = $1 AND u.deleted_at IS NULL AND u.is_active
          AND (ur.expires_at IS NULL OR ur.expires_at > now())) AS exists`,
      [SystemRole.ADMIN],
    );
    return row.exists;
  }
}
