import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { ErrorCode } from '@atrium/contracts';
import { ApiException } from '../../common/http/api.exception';
import { Paginated } from '../../common/http/pagination';
import { UserInvitedEvent } from '../../events/domain-events';
import { AuditService } from '../audit/audit.service';
import { ApiTokensService } from '../identity/api-tokens.service';
import type { AuthUser } from '../identity/auth.decorators';
import { AuthService, normalizeEmail, normalizeUsername } from '../identity/auth.service';
import { UserEntity } from '../identity/entities/user.entity';
import { PasswordsService } from '../identity/passwords.service';
import { type ClientInfo, SessionsService } from '../identity/sessions.service';
import { randomToken } from '../identity/tokens.service';
import { avatarUrl } from '../avatars/avatar-key';
import { AbilityService } from './ability.service';
import type {
  AdminUpdateUserDto,
  AdminUserDto,
  CreateUserDto,
  ListUsersQueryDto,
  PublicProfileDto,
} from './dto/users.dto';
import { RolesService } from './roles.service';

const INVITE_TTL_HOURS = 72;
const SORT_COLUMNS = { createdAt: 'u.created_at', username: 'u.username_normalized', email: 'u.email_normalized' };

const statusOf = (user: UserEntity): AdminUserDto['status'] =>
  user.deletedAt ? 'deleted' : !user.isActive ? 'inactive' : !user.emailVerifiedAt ? 'unverified' : 'active';

/** User administration (`users:*`) and public profiles. */
@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly roles: RolesService,
    private readonly abilities: AbilityService,
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    private readonly apiTokens: ApiTokensService,
    private readonly passwords: PasswordsService,
    private readonly audit: AuditService,
    private readonly events: EventEmitter2,
  ) {}

  private get users() {
    return this.dataSource.getRepository(UserEntity);
  }

  private async toDto(user: UserEntity): Promise<AdminUserDto> {
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
      roles: await this.roles.assignmentsOf(user.id),
    };
  }

  async list(query: ListUsersQueryDto): Promise<Paginated<AdminUserDto>> {
    const qb = this.users.createQueryBuilder('u');
    if (query.search) {
      qb.andWhere(
        `(u.username_normalized LIKE :q OR u.email_normalized LIKE :q OR lower(coalesce(u.first_name, '')) LIKE :q OR lower(coalesce(u.last_name, '')) LIKE :q)`,
        { q: `%${query.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%` },
      );
    }
    if (query.role) {
      qb.andWhere(
        `EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id
                  WHERE ur.user_id = u.id AND r.name = :role AND (ur.expires_at IS NULL OR ur.expires_at > now()))`,
        { role: query.role },
      );
    }
    switch (query.status) {
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
    const descending = query.sort.startsWith('-');
    const column = SORT_COLUMNS[query.sort.replace(/^-/, '') as keyof typeof SORT_COLUMNS];
    qb.orderBy(column, descending ? 'DESC' : 'ASC').addOrderBy('u.id', 'ASC');
    const [rows, total] = await qb
      .skip((query.page - 1) * query.perPage)
      .take(query.perPage)
      .getManyAndCount();
    return new Paginated(await Promise.all(rows.map((u) => this.toDto(u))), query.page, query.perPage, total);
  }

  private async find(id: string): Promise<UserEntity> {
    const user = await this.users.findOneBy({ id });
    if (!user) throw new ApiException(404, ErrorCode.NOT_FOUND, 'No such user');
    return user;
  }

  async get(id: string): Promise<AdminUserDto> {
    return this.toDto(await this.find(id));
  }

  /** An administrator creates an account; the invite mail's link sets the first password. */
  async create(actor: AuthUser, input: CreateUserDto, client: ClientInfo): Promise<AdminUserDto> {
    const emailNormalized = normalizeEmail(input.email);
    const usernameNormalized = normalizeUsername(input.username);
    if (await this.users.exists({ where: [{ emailNormalized }, { usernameNormalized }] })) {
      throw new ApiException(409, ErrorCode.CONFLICT, 'This email address or username is already registered');
    }
    const user = await this.users.save(
      Object.assign(new UserEntity(), {
        email: input.email.trim(),
        emailNormalized,
        username: input.username.trim(),
        usernameNormalized,
        // Nobody knows this password: the account is usable once the invitee sets their own.
        passwordHash: await this.passwords.hash(randomToken()),
        firstName: input.firstName ?? null,
        lastName: input.lastName ?? null,
        bio: null,
        preferences: {},
        emailVerifiedAt: null,
        isActive: true,
        deletedAt: null,
        recoveryCodeHashes: [],
      }),
    );
    await this.roles.assignDefaultRole(user.id);
    const token = await this.auth.issueEmailToken(user.id, 'reset_password', INVITE_TTL_HOURS * 60);
    await this.audit.record({ actorId: actor.id, action: 'user.created', target: `user:${user.id}`, ...client });
    await this.events.emitAsync(
      UserInvitedEvent.eventName,
      new UserInvitedEvent(
        { userId: user.id, email: user.email, username: user.username },
        actor.username,
        token,
        INVITE_TTL_HOURS,
      ),
    );
    return this.toDto(user);
  }

  async update(actor: AuthUser, id: string, input: AdminUpdateUserDto, client: ClientInfo): Promise<AdminUserDto> {
    const user = await this.find(id);
    await this.assertOutranks(actor, id);
    const before = await this.toDto(user);
    const changes: Partial<Pick<UserEntity, 'firstName' | 'lastName' | 'isActive' | 'emailVerifiedAt'>> = {};
    if (input.firstName !== undefined) changes.firstName = input.firstName || null;
    if (input.lastName !== undefined) changes.lastName = input.lastName || null;
    if (input.isActive !== undefined) changes.isActive = input.isActive;
    if (input.emailVerified !== undefined)
      changes.emailVerifiedAt = input.emailVerified ? (user.emailVerifiedAt ?? new Date()) : null;
    if (Object.keys(changes).length > 0) await this.users.update({ id }, changes);
    if (input.isActive === false && user.isActive) await this.signOutEverywhere(id, 'deactivated');
    const after = await this.get(id);
    if (before.isActive !== after.isActive) {
      await this.audit.record({
        actorId: actor.id,
        action: after.isActive ? 'user.activated' : 'user.deactivated',
        target: `user:${id}`,
        ...client,
        metadata: { before: { isActive: before.isActive }, after: { isActive: after.isActive } },
      });
    }
    await this.audit.record({
      actorId: actor.id,
      action: 'user.updated',
      target: `user:${id}`,
      ...client,
      metadata: { before, after },
    });
    return after;
  }

  async remove(actor: AuthUser, id: string, client: ClientInfo): Promise<void> {
    const user = await this.find(id);
    if (user.deletedAt) throw new ApiException(409, ErrorCode.CONFLICT, 'The user is already deleted');
    await this.assertOutranks(actor, id);
    await this.users.update({ id }, { deletedAt: new Date(), isActive: false });
    await this.signOutEverywhere(id, 'account_deleted');
    await this.audit.record({
      actorId: actor.id,
      action: 'user.deleted',
      target: `user:${id}`,
      ...client,
      metadata: { before: { status: statusOf(user) }, after: { status: 'deleted' } },
    });
  }

  async restore(actor: AuthUser, id: string, client: ClientInfo): Promise<AdminUserDto> {
    const user = await this.find(id);
    if (!user.deletedAt) throw new ApiException(409, ErrorCode.CONFLICT, 'The user is not deleted');
    if (user.emailNormalized.startsWith('deleted:')) {
      throw new ApiException(409, ErrorCode.CONFLICT, 'Past the retention period: the account cannot be restored');
    }
    await this.users.update({ id }, { deletedAt: null, isActive: true });
    await this.audit.record({
      actorId: actor.id,
      action: 'user.restored',
      target: `user:${id}`,
      ...client,
      metadata: { before: { status: 'deleted' }, after: { status: 'active' } },
    });
    return this.get(id);
  }

  /** Deactivation and deletion end every session and token at once. */
  private async signOutEverywhere(userId: string, reason: string): Promise<void> {
    await this.sessions.revokeAllForUser(userId, reason);
    await this.apiTokens.revokeAllForUser(userId);
  }

  /** Nobody administers themselves this way, or someone at or above their own level. */
  private async assertOutranks(actor: AuthUser, targetId: string): Promise<void> {
    if (actor.id === targetId)
      throw new ApiException(403, ErrorCode.FORBIDDEN, 'Use your own profile routes for yourself');
    const [own, theirs] = await Promise.all([this.abilities.levelOf(actor.id), this.abilities.levelOf(targetId)]);
    if (theirs >= own) throw new ApiException(403, ErrorCode.FORBIDDEN, 'This user is at or above your level');
  }

  async profile(username: string): Promise<PublicProfileDto> {
    const user = await this.users.findOneBy({
      usernameNormalized: normalizeUsername(username),
      deletedAt: IsNull(),
      isActive: true,
    });
    if (!user) throw new ApiException(404, ErrorCode.NOT_FOUND, 'No such profile');
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
  async adminExists(): Promise<boolean> {
    const [row] = await this.dataSource.query<Array<{ exists: boolean }>>(
      `SELECT EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id JOIN users u ON u.id = ur.user_id
        WHERE r.name = 'admin' AND u.deleted_at IS NULL AND u.is_active AND (ur.expires_at IS NULL OR ur.expires_at > now())) AS exists`,
    );
    return row.exists;
  }
}
