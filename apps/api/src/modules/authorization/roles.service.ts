import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { ErrorCode, type Permission, SystemRole } from '@atrium/contracts';
import { ApiException } from '../../common/http/api.exception';
import { newId } from '../../database/ids';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../identity/auth.decorators';
import type { ClientInfo } from '../identity/sessions.service';
import { AbilityService } from './ability.service';
import { AuthorizationService } from './authorization.service';
import type { CreateRoleDto, PermissionGrantDto, RoleDto, UpdateRoleDto } from './dto/roles.dto';
import { PermissionEntity } from './entities/permission.entity';
import { RoleEntity } from './entities/role.entity';
import { UserRoleEntity } from './entities/user-role.entity';

const forbidden = (message: string): ApiException => new ApiException(403, ErrorCode.FORBIDDEN, message);
const notFound = (): ApiException => new ApiException(404, ErrorCode.NOT_FOUND, 'No such role');

/** Roles, their permissions and who holds them — with the anti-escalation rules of DESIGN §5. */
@Injectable()
export class RolesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly abilities: AbilityService,
    private readonly authorization: AuthorizationService,
    private readonly audit: AuditService,
  ) {}

  private get roles() {
    return this.dataSource.getRepository(RoleEntity);
  }

  private get permissions() {
    return this.dataSource.getRepository(PermissionEntity);
  }

  async list(): Promise<RoleDto[]> {
    const roles = await this.roles.find({ order: { level: 'DESC', name: 'ASC' } });
    const grants = await this.permissions.find({ where: { roleId: In(roles.map((r) => r.id)) } });
    return roles.map((role) => this.toDto(role, grants));
  }

  async get(id: string): Promise<RoleDto> {
    const role = await this.roles.findOneBy({ id });
    if (!role) throw notFound();
    return this.toDto(role, await this.permissions.findBy({ roleId: id }));
  }

  private toDto(role: RoleEntity, grants: PermissionEntity[]): RoleDto {
    return {
      id: role.id,
      name: role.name,
      description: role.description,
      level: role.level,
      isSystem: role.isSystem,
      permissions: grants
        .filter((g) => g.roleId === role.id)
        .map((g) => ({ permission: `${g.resource}:${g.action}`, conditions: g.conditions })),
    };
  }

  /** Nobody creates, edits or assigns a role at or above their own highest level. */
  private async assertBelowActor(actor: AuthUser, level: number): Promise<void> {
    const own = await this.abilities.levelOf(actor.id);
    if (level >= own) throw forbidden(`Only roles below your own level (${own}) can be created, changed or assigned`);
  }

  /** Nobody grants a permission they do not hold themselves, without conditions. */
  private async assertGrantable(actor: AuthUser, grants: readonly PermissionGrantDto[]): Promise<void> {
    const held = new Set(await this.authorization.heldPermissions(actor));
    const missing = grants.map((g) => g.permission).filter((p) => !held.has(p as Permission));
    if (missing.length > 0) throw forbidden(`You cannot grant what you do not hold: ${missing.join(', ')}`);
  }

  async create(actor: AuthUser, input: CreateRoleDto, client: ClientInfo): Promise<RoleDto> {
    await this.assertBelowActor(actor, input.level);
    await this.assertGrantable(actor, input.permissions ?? []);
    if (await this.roles.existsBy({ name: input.name })) {
      throw new ApiException(409, ErrorCode.CONFLICT, 'A role with this name exists');
    }
    const role = await this.dataSource.transaction(async (tx) => {
      const saved = await tx.getRepository(RoleEntity).save(
        Object.assign(new RoleEntity(), {
          name: input.name,
          description: input.description ?? '',
          level: input.level,
          isSystem: false,
        }),
      );
      await this.writeGrants(tx, saved.id, input.permissions ?? []);
      return saved;
    });
    const created = await this.get(role.id);
    await this.audit.record({
      actorId: actor.id,
      action: 'role.created',
      target: `role:${role.id}`,
      ...client,
      metadata: { after: created },
    });
    return created;
  }

  async update(actor: AuthUser, id: string, input: UpdateRoleDto, client: ClientInfo): Promise<RoleDto> {
    const before = await this.get(id);
    await this.assertEditable(actor, before);
    if (input.level !== undefined) {
      if (before.isSystem) throw forbidden('The level of a system role cannot change');
      await this.assertBelowActor(actor, input.level);
    }
    await this.roles.update(
      { id },
      { description: input.description ?? before.description, level: input.level ?? before.level },
    );
    const after = await this.get(id);
    await this.abilities.invalidateAll();
    await this.audit.record({
      actorId: actor.id,
      action: 'role.updated',
      target: `role:${id}`,
      ...client,
      metadata: { before, after },
    });
    return after;
  }

  /** System roles: only an admin edits them (and never the admin role, which is at their level). */
  private async assertEditable(actor: AuthUser, role: RoleDto): Promise<void> {
    await this.assertBelowActor(actor, role.level);
    if (role.isSystem && !(await this.abilities.rolesOf(actor.id)).some((r) => r.name === SystemRole.ADMIN)) {
      throw forbidden('Only an admin changes system roles');
    }
  }

  async setPermissions(
    actor: AuthUser,
    id: string,
    grants: PermissionGrantDto[],
    client: ClientInfo,
  ): Promise<RoleDto> {
    const before = await this.get(id);
    await this.assertEditable(actor, before);
    await this.assertGrantable(actor, grants);
    await this.dataSource.transaction(async (tx) => {
      await tx.getRepository(PermissionEntity).delete({ roleId: id });
      await this.writeGrants(tx, id, grants);
    });
    const after = await this.get(id);
    await this.abilities.invalidateAll();
    await this.audit.record({
      actorId: actor.id,
      action: 'role.permissions_changed',
      target: `role:${id}`,
      ...client,
      metadata: { before: before.permissions, after: after.permissions },
    });
    return after;
  }

  private async writeGrants(
    tx: DataSource['manager'],
    roleId: string,
    grants: readonly PermissionGrantDto[],
  ): Promise<void> {
    const unique = new Map(grants.map((g) => [`${g.permission}|${JSON.stringify(g.conditions ?? null)}`, g]));
    for (const grant of unique.values()) {
      const [resource, action] = grant.permission.split(':');
      await tx
        .getRepository(PermissionEntity)
        .save(
          Object.assign(new PermissionEntity(), { roleId, resource, action, conditions: grant.conditions ?? null }),
        );
    }
  }

  async remove(actor: AuthUser, id: string, client: ClientInfo): Promise<void> {
    const before = await this.get(id);
    if (before.isSystem) throw forbidden('System roles cannot be deleted');
    await this.assertBelowActor(actor, before.level);
    await this.roles.delete({ id });
    await this.abilities.invalidateAll();
    await this.audit.record({
      actorId: actor.id,
      action: 'role.deleted',
      target: `role:${id}`,
      ...client,
      metadata: { before },
    });
  }

  /** New accounts hold `user`. */
  async assignDefaultRole(userId: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO user_roles (id, user_id, role_id)
       SELECT $1, $2, id FROM roles WHERE name = $3 ON CONFLICT (user_id, role_id) DO NOTHING`,
      [newId(), userId, SystemRole.USER],
    );
  }

  /** The roles a user holds (expired ones included, marked), for the users API. */
  async assignmentsOf(
    userId: string,
  ): Promise<Array<{ roleId: string; name: string; level: number; expiresAt: string | null; assignedAt: string }>> {
    const rows = await this.dataSource.query<
      Array<{ role_id: string; name: string; level: number; expires_at: Date | null; assigned_at: Date }>
    >(
      `SELECT ur.role_id, r.name, r.level, ur.expires_at, ur.assigned_at FROM user_roles ur JOIN roles r ON r.id = ur.role_id
        WHERE ur.user_id = $1 AND (ur.expires_at IS NULL OR ur.expires_at > now()) ORDER BY r.level DESC`,
      [userId],
    );
    return rows.map((r) => ({
      roleId: r.role_id,
      name: r.name,
      level: r.level,
      expiresAt: r.expires_at ? new Date(r.expires_at).toISOString() : null,
      assignedAt: new Date(r.assigned_at).toISOString(),
    }));
  }

  /**
   * Replaces a user's roles. The actor may not change their own roles, and may only add or
   * remove roles below their own level.
   */
  async setUserRoles(
    actor: AuthUser,
    userId: string,
    assignments: Array<{ roleId: string; expiresAt?: string }>,
    client: ClientInfo,
  ): Promise<void> {
    if (actor.id === userId) throw forbidden('You cannot change your own roles');
    const before = await this.assignmentsOf(userId);
    const wanted = await this.roles.findBy({ id: In(assignments.map((a) => a.roleId)) });
    if (wanted.length !== new Set(assignments.map((a) => a.roleId)).size) {
      throw new ApiException(400, ErrorCode.VALIDATION_ERROR, 'Unknown role', [
        { field: 'roles', message: 'Every roleId must name an existing role', code: 'UNKNOWN_ROLE' },
      ]);
    }
    for (const assignment of assignments) {
      if (assignment.expiresAt && new Date(assignment.expiresAt).getTime() <= Date.now()) {
        throw new ApiException(400, ErrorCode.VALIDATION_ERROR, 'expiresAt must be in the future', [
          { field: 'roles.expiresAt', message: 'must be in the future', code: 'IN_THE_PAST' },
        ]);
      }
    }
    const touched = [
      ...wanted.map((r) => r.level),
      ...before.filter((b) => !assignments.some((a) => a.roleId === b.roleId)).map((b) => b.level),
    ];
    for (const level of touched) await this.assertBelowActor(actor, level);
    await this.dataSource.transaction(async (tx) => {
      await tx.getRepository(UserRoleEntity).delete({ userId });
      for (const assignment of assignments) {
        await tx.getRepository(UserRoleEntity).save(
          Object.assign(new UserRoleEntity(), {
            userId,
            roleId: assignment.roleId,
            assignedBy: actor.id,
            assignedAt: new Date(),
            expiresAt: assignment.expiresAt ? new Date(assignment.expiresAt) : null,
          }),
        );
      }
    });
    await this.abilities.invalidateUser(userId);
    await this.audit.record({
      actorId: actor.id,
      action: 'user.roles_changed',
      target: `user:${userId}`,
      ...client,
      metadata: { before, after: await this.assignmentsOf(userId) },
    });
  }
}
