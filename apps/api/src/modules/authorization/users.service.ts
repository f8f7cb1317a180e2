import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../../common/auth';
import { Errors } from '../../common/http/errors';
import { CursorPage, encodeCursor, keysetCondition, pageRequest, parseSort } from '../../common/http/list';
import { Paginated } from '../../common/http/pagination';
import { Transactions } from '../../database/transactions';
import { PublicContentCache } from '../../common/cache';
import { DomainEvents } from '../../events/domain-events.publisher';
import { AuditService } from '../audit/audit.service';
import { avatarUrl } from '../avatars/avatar-key';
import { AccountsService, refOf } from '../identity/accounts.service';
import { EmailTokensService } from '../identity/email-tokens.service';
import type { UserEntity } from '../identity/entities/user.entity';
import { normalizeUsername } from '../identity/identifiers';
import { UserInvitedEvent } from '../identity/identity.events';
import { PasswordsService } from '../identity/passwords.service';
import { randomToken } from '../identity/tokens.service';
import { UsersRepository } from '../identity/users.repository';
import { AbilityService } from './ability.service';
import {
  type AdminUpdateUserDto,
  type AdminUserDto,
  type CreateUserDto,
  type ListUsersQueryDto,
  type PublicProfileDto,
  USER_SORT_FIELDS,
} from './dto/users.dto';
import { PolicyService } from './policy.service';
import type { RoleAssignment } from './roles.repository';
import { RolesRepository } from './roles.repository';
import { toAssignmentDto } from './roles.service';
import { type DirectoryUser, USER_SORT_COLUMNS, UserDirectoryRepository } from './user-directory.repository';

const INVITE_TTL_HOURS = 72;
/** The fields of a user row that permission conditions may name (`{ "id": "${user.id}" }`). */
const USER_COLUMNS = { id: 'u.id' } as const;

const statusOf = (user: DirectoryUser): AdminUserDto['status'] =>
  user.deletedAt ? 'deleted' : !user.isActive ? 'inactive' : !user.emailVerifiedAt ? 'unverified' : 'active';

/** The sort value a cursor carries for one key (times at the list's millisecond precision). */
const sortValue = (user: DirectoryUser, field: (typeof USER_SORT_FIELDS)[number]): string =>
  field === 'createdAt'
    ? user.createdAt.toISOString()
    : field === 'username'
      ? user.usernameNormalized
      : user.emailNormalized;

/** User administration (`users:*`, checked row by row with the caller's policy) and public profiles. */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly directory: UserDirectoryRepository,
    private readonly roles: RolesRepository,
    private readonly transactions: Transactions,
    private readonly policy: PolicyService,
    private readonly abilities: AbilityService,
    private readonly accounts: AccountsService,
    private readonly emailTokens: EmailTokensService,
    private readonly passwords: PasswordsService,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    private readonly publicContent: PublicContentCache,
  ) {}

  private toDto(user: DirectoryUser, roles: RoleAssignment[]): AdminUserDto {
    return {
      id: user.id,
      email: user.email,
      username: user.username,
      firstName: user.firstName,
      lastName: user.lastName,
      isActive: user.isActive,
      emailVerified: user.emailVerifiedAt !== null,
      twoFactorEnabled: user.totpEnabledAt !== null,
      status: statusOf(user),
      createdAt: user.createdAt.toISOString(),
      deletedAt: user.deletedAt?.toISOString() ?? null,
      roles: roles.map(toAssignmentDto),
    };
  }

  /** Rows to DTOs with every row's roles from one query. */
  private async toDtos(rows: DirectoryUser[]): Promise<AdminUserDto[]> {
    const roles = await this.roles.assignmentsOf(rows.map((u) => u.id));
    return rows.map((u) => this.toDto(u, roles.get(u.id) ?? []));
  }

  /** The users the caller may read — all of them, or only those their conditions allow. */
  async list(actor: AuthUser, query: ListUsersQueryDto): Promise<Paginated<AdminUserDto> | CursorPage<AdminUserDto>> {
    const keys = parseSort(query.sort, USER_SORT_FIELDS);
    const search = {
      search: query.search,
      role: query.role,
      status: query.status,
      access: await this.policy.accessibleWhere(actor, 'read', 'users', USER_COLUMNS),
      sort: keys.map((k) => ({ column: USER_SORT_COLUMNS[k.field], direction: k.direction })),
    };
    const paging = pageRequest(query);
    if (paging.mode === 'offset') {
      const [rows, total] = await this.directory.page(search, (paging.page - 1) * paging.perPage, paging.perPage);
      return new Paginated(await this.toDtos(rows), paging.page, paging.perPage, total);
    }
    const after = paging.cursor
      ? keysetCondition([
          ...keys.map((k) => ({
            column: USER_SORT_COLUMNS[k.field],
            direction: k.direction,
            value: k.field === 'createdAt' ? new Date(String(paging.cursor?.[k.field])) : paging.cursor?.[k.field],
          })),
          { column: 'u.id', direction: 'ASC' as const, value: paging.cursor.id },
        ])
      : undefined;
    const rows = await this.directory.slice({ ...search, after }, paging.limit + 1);
    const page = rows.slice(0, paging.limit);
    const last = page.at(-1);
    const next =
      rows.length > paging.limit && last
        ? encodeCursor({ ...Object.fromEntries(keys.map((k) => [k.field, sortValue(last, k.field)])), id: last.id })
        : null;
    return new CursorPage(await this.toDtos(page), next);
  }

  /** A user row the caller may `action` (404 when they may not even read it). */
  private async authorized(actor: AuthUser, action: string, id: string): Promise<UserEntity> {
    const user = await this.users.findById(id);
    if (!user) throw Errors.notFound('user');
    await this.policy.assert(actor, action, 'users', user, 'user');
    return user;
  }

  async get(actor: AuthUser, id: string): Promise<AdminUserDto> {
    const [dto] = await this.toDtos([await this.authorized(actor, 'read', id)]);
    return dto;
  }

  /** An administrator creates an account; the invite mail's link sets the first password. */
  async create(actor: AuthUser, input: CreateUserDto): Promise<AdminUserDto> {
    // Nobody knows this password: the account is usable once the invitee sets their own.
    const passwordHash = await this.passwords.hash(randomToken());
    const user = await this.transactions.run(async () => {
      const created = await this.accounts.createAccount({ ...input, passwordHash, emailVerified: false });
      const token = await this.emailTokens.issue(created.id, 'reset_password', INVITE_TTL_HOURS * 60);
      await this.audit.record({ action: 'user.created', target: `user:${created.id}` });
      await this.events.publish(new UserInvitedEvent(refOf(created), actor.username, token, INVITE_TTL_HOURS));
      return created;
    });
    return this.get(actor, user.id);
  }

  async update(actor: AuthUser, id: string, input: AdminUpdateUserDto): Promise<AdminUserDto> {
    const user = await this.authorized(actor, 'update', id);
    await this.assertOutranks(actor, id);
    const before = await this.get(actor, id);
    await this.transactions.run(async () => {
      // An author's name shows on their posts: readers see the change at once.
      await this.publicContent.changed();
      await this.users.update(id, {
        ...(input.firstName !== undefined && { firstName: input.firstName || null }),
        ...(input.lastName !== undefined && { lastName: input.lastName || null }),
        ...(input.isActive !== undefined && { isActive: input.isActive }),
        ...(input.emailVerified !== undefined && {
          emailVerifiedAt: input.emailVerified ? (user.emailVerifiedAt ?? new Date()) : null,
        }),
      });
      if (input.isActive === false && user.isActive) await this.accounts.signOutEverywhere(id, 'deactivated');
      const after = await this.get(actor, id);
      if (before.isActive !== after.isActive) {
        await this.audit.record({
          action: after.isActive ? 'user.activated' : 'user.deactivated',
          target: `user:${id}`,
          metadata: { before: { isActive: before.isActive }, after: { isActive: after.isActive } },
        });
      }
      await this.audit.record({ action: 'user.updated', target: `user:${id}`, metadata: { before, after } });
    });
    return this.get(actor, id);
  }

  async remove(actor: AuthUser, id: string): Promise<void> {
    const user = await this.authorized(actor, 'delete', id);
    if (user.deletedAt) throw Errors.conflict('The user is already deleted');
    await this.assertOutranks(actor, id);
    await this.transactions.run(async () => {
      // An author's name shows on their posts: readers see the change at once.
      await this.publicContent.changed();
      await this.users.update(id, { deletedAt: new Date(), isActive: false });
      await this.accounts.signOutEverywhere(id, 'account_deleted');
      await this.audit.record({
        action: 'user.deleted',
        target: `user:${id}`,
        metadata: { before: { status: statusOf(user) }, after: { status: 'deleted' } },
      });
    });
  }

  async restore(actor: AuthUser, id: string): Promise<AdminUserDto> {
    const user = await this.authorized(actor, 'delete', id);
    if (!user.deletedAt) throw Errors.conflict('The user is not deleted');
    if (user.emailNormalized.startsWith('deleted:')) {
      throw Errors.conflict('Past the retention period: the account cannot be restored');
    }
    // Whoever may not delete this user may not undo a deletion either.
    await this.assertOutranks(actor, id);
    await this.transactions.run(async () => {
      // An author's name shows on their posts: readers see the change at once.
      await this.publicContent.changed();
      await this.users.update(id, { deletedAt: null, isActive: true });
      await this.audit.record({
        action: 'user.restored',
        target: `user:${id}`,
        metadata: { before: { status: 'deleted' }, after: { status: 'active' } },
      });
    });
    return this.get(actor, id);
  }

  /** For role assignment: the target must exist and be one the caller may assign roles to. */
  async assertAssignable(actor: AuthUser, id: string): Promise<void> {
    await this.authorized(actor, 'assign-roles', id);
  }

  /** Nobody administers themselves this way, or someone at or above their own level. */
  private async assertOutranks(actor: AuthUser, targetId: string): Promise<void> {
    if (actor.id === targetId) throw Errors.forbidden('Use your own profile routes for yourself');
    const [own, theirs] = await Promise.all([this.abilities.levelOf(actor.id), this.abilities.levelOf(targetId)]);
    if (theirs >= own) throw Errors.forbidden('This user is at or above your level');
  }

  async profile(username: string): Promise<PublicProfileDto> {
    const user = await this.users.findPublicProfile(normalizeUsername(username));
    if (!user) throw Errors.notFound('profile');
    return {
      username: user.username,
      firstName: user.firstName,
      lastName: user.lastName,
      bio: user.bio,
      avatarUrl: avatarUrl(user.avatarKey),
      memberSince: user.createdAt.toISOString(),
    };
  }

  /** For `create-admin`: whether any active account holds the admin role. */
  adminExists(): Promise<boolean> {
    return this.roles.activeAdminExists();
  }
}
