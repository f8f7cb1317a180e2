import { Injectable } from '@nestjs/common';
import { type Permission, SystemRole } from '@atrium/contracts';
import type { AuthUser } from '../../common/auth';
import { Errors } from '../../common/http/errors';
import { Transactions } from '../../database/transactions';
import { DomainEvents } from '../../events/domain-events.publisher';
import { AuditService } from '../audit/audit.service';
import { RoleDeletedEvent, RolePermissionsChangedEvent, UserRolesChangedEvent } from './authorization.events';
import { UsersRepository } from '../identity/users.repository';
import { AbilityService } from './ability.service';
import { AuthorizationService } from './authorization.service';
import type { CreateRoleDto, PermissionGrantDto, RoleDto, UpdateRoleDto } from './dto/roles.dto';
import type { PermissionEntity } from './entities/permission.entity';
import type { RoleEntity } from './entities/role.entity';
import { type Grant, type RoleAssignment, RolesRepository } from './roles.repository';

const toGrants = (grants: readonly PermissionGrantDto[]): Grant[] =>
  grants.map((g) => {
    const [resource, action] = g.permission.split(':');
    return { resource, action, conditions: g.conditions ?? null };
  });

export const toAssignmentDto = (a: RoleAssignment) => ({
  roleId: a.roleId,
  name: a.name,
  level: a.level,
  expiresAt: a.expiresAt?.toISOString() ?? null,
  assignedAt: a.assignedAt.toISOString(),
});

/** Roles, their permissions and who holds them — with the anti-escalation rules (docs/ARCHITECTURE.md). */
@Injectable()
export class RolesService {
  constructor(
    private readonly roles: RolesRepository,
    private readonly users: UsersRepository,
    private readonly transactions: Transactions,
    private readonly abilities: AbilityService,
    private readonly authorization: AuthorizationService,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
  ) {}

  async list(): Promise<RoleDto[]> {
    const roles = await this.roles.list();
    const grants = await this.roles.grantsOf(roles.map((r) => r.id));
    return roles.map((role) => this.toDto(role, grants));
  }

  async get(id: string): Promise<RoleDto> {
    const role = await this.roles.findById(id);
    if (!role) throw Errors.notFound('role');
    return this.toDto(role, await this.roles.grantsOf([id]));
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
    if (level >= own) {
      throw Errors.forbidden(`Only roles below your own level (${own}) can be created, changed or assigned`);
    }
  }

  /** Nobody grants a permission they do not hold themselves, without conditions. */
  private async assertGrantable(actor: AuthUser, grants: readonly PermissionGrantDto[]): Promise<void> {
    const held = new Set(await this.authorization.heldPermissions(actor));
    const missing = grants.map((g) => g.permission).filter((p) => !held.has(p as Permission));
    if (missing.length > 0) throw Errors.forbidden(`You cannot grant what you do not hold: ${missing.join(', ')}`);
  }

  async create(actor: AuthUser, input: CreateRoleDto): Promise<RoleDto> {
    await this.assertBelowActor(actor, input.level);
    await this.assertGrantable(actor, input.permissions ?? []);
    return this.transactions.run(async () => {
      if (await this.roles.nameTaken(input.name)) throw Errors.conflict('A role with this name exists');
      const id = await this.roles.insert({
        name: input.name,
        description: input.description ?? '',
        level: input.level,
      });
      await this.roles.replaceGrants(id, toGrants(input.permissions ?? []));
      const created = await this.get(id);
      await this.audit.record({ action: 'role.created', target: `role:${id}`, metadata: { after: created } });
      return created;
    });
  }

  async update(actor: AuthUser, id: string, input: UpdateRoleDto): Promise<RoleDto> {
    const before = await this.get(id);
    await this.assertEditable(actor, before);
    if (input.level !== undefined) {
      if (before.isSystem) throw Errors.forbidden('The level of a system role cannot change');
      await this.assertBelowActor(actor, input.level);
    }
    return this.transactions.run(async () => {
      await this.roles.update(id, {
        description: input.description ?? before.description,
        level: input.level ?? before.level,
      });
      const after = await this.get(id);
      await this.audit.record({ action: 'role.updated', target: `role:${id}`, metadata: { before, after } });
      await this.events.publish(new RolePermissionsChangedEvent(id));
      return after;
    });
  }

  /** System roles: only an admin edits them (and never the admin role, which is at their level). */
  private async assertEditable(actor: AuthUser, role: RoleDto): Promise<void> {
    await this.assertBelowActor(actor, role.level);
    if (role.isSystem && !(await this.abilities.rolesOf(actor.id)).some((r) => r.name === SystemRole.ADMIN)) {
      throw Errors.forbidden('Only an admin changes system roles');
    }
  }

  async setPermissions(actor: AuthUser, id: string, grants: PermissionGrantDto[]): Promise<RoleDto> {
    const before = await this.get(id);
    await this.assertEditable(actor, before);
    await this.assertGrantable(actor, grants);
    return this.transactions.run(async () => {
      await this.transactions.lock(`role-grants:${id}`);
      await this.roles.replaceGrants(id, toGrants(grants));
      const after = await this.get(id);
      await this.audit.record({
        action: 'role.permissions_changed',
        target: `role:${id}`,
        metadata: { before: before.permissions, after: after.permissions },
      });
      await this.events.publish(new RolePermissionsChangedEvent(id));
      return after;
    });
  }

  async remove(actor: AuthUser, id: string): Promise<void> {
    const before = await this.get(id);
    if (before.isSystem) throw Errors.forbidden('System roles cannot be deleted');
    await this.assertBelowActor(actor, before.level);
    await this.transactions.run(async () => {
      await this.roles.delete(id);
      await this.audit.record({ action: 'role.deleted', target: `role:${id}`, metadata: { before } });
      await this.events.publish(new RoleDeletedEvent(id));
    });
  }

  /**
   * An operator grants a role from the command line (no actor, so no level rule: whoever runs
   * the CLI holds the database). Unknown user or role: a 404 naming which.
   */
  async assignByOperator(login: string, roleName: string, expiresAt: Date | null): Promise<void> {
    const user = await this.users.findByLogin(login.trim().toLowerCase());
    if (!user) throw Errors.notFound(`user "${login}"`);
    const role = await this.roles.findByName(roleName);
    if (!role) throw Errors.notFound(`role "${roleName}"`);
    await this.transactions.run(async () => {
      await this.roles.upsertAssignment(user.id, role.id, expiresAt);
      await this.audit.record({
        actorId: null,
        action: 'user.roles_changed',
        target: `user:${user.id}`,
        metadata: { source: 'cli', added: roleName, expiresAt },
      });
      await this.events.publish(new UserRolesChangedEvent(user.id));
    });
  }

  /** New accounts hold `user` (granted on `user.created`). */
  async assignDefaultRole(userId: string): Promise<void> {
    await this.transactions.run(async () => {
      await this.roles.assignSystemRole(userId, SystemRole.USER, { keepExpiry: true });
      await this.events.publish(new UserRolesChangedEvent(userId));
    });
  }

  /** The unexpired roles of many users, in one query. */
  async assignmentsOf(userIds: readonly string[]): Promise<Map<string, RoleAssignment[]>> {
    return this.roles.assignmentsOf(userIds);
  }

  /**
   * Replaces a user's roles. The actor may not change their own roles, and may only add or
   * remove roles below their own level.
   */
  async setUserRoles(
    actor: AuthUser,
    userId: string,
    requested: Array<{ roleId: string; expiresAt?: string }>,
  ): Promise<void> {
    if (actor.id === userId) throw Errors.forbidden('You cannot change your own roles');
    // A role listed twice is held once: the later entry decides its expiry.
    const assignments = [...new Map(requested.map((a) => [a.roleId, a])).values()];
    const before = (await this.roles.assignmentsOf([userId])).get(userId) ?? [];
    const wanted = await this.roles.findByIds(assignments.map((a) => a.roleId));
    if (wanted.length !== new Set(assignments.map((a) => a.roleId)).size) {
      throw Errors.invalidField('roles', 'Every roleId must name an existing role', 'UNKNOWN_ROLE', 'Unknown role');
    }
    if (assignments.some((a) => a.expiresAt && new Date(a.expiresAt).getTime() <= Date.now())) {
      throw Errors.invalidField(
        'roles.expiresAt',
        'must be in the future',
        'IN_THE_PAST',
        'expiresAt must be in the future',
      );
    }
    const touched = [
      ...wanted.map((r) => r.level),
      ...before.filter((b) => !assignments.some((a) => a.roleId === b.roleId)).map((b) => b.level),
    ];
    for (const level of touched) await this.assertBelowActor(actor, level);
    await this.transactions.run(async () => {
      // A replace is delete-then-insert: two at once would collide on the unique key.
      await this.transactions.lock(`user-roles:${userId}`);
      const replaced = (await this.roles.assignmentsOf([userId])).get(userId) ?? [];
      await this.roles.replaceAssignments(
        userId,
        assignments.map((a) => ({ roleId: a.roleId, expiresAt: a.expiresAt ? new Date(a.expiresAt) : null })),
        actor.id,
      );
      const after = (await this.roles.assignmentsOf([userId])).get(userId) ?? [];
      await this.audit.record({
        action: 'user.roles_changed',
        target: `user:${userId}`,
        metadata: { before: replaced.map(toAssignmentDto), after: after.map(toAssignmentDto) },
      });
      await this.events.publish(new UserRolesChangedEvent(userId));
    });
  }
}
