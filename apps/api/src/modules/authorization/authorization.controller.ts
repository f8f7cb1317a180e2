import { Controller, Delete, Get, Param, ParseUUIDPipe, Patch, Post, Put } from '@nestjs/common';
import { Body, Query } from '../../common/http/validation';
import { ApiTags } from '@nestjs/swagger';
import { PERMISSION_CATALOGUE } from '@atrium/contracts';
import { Paginated } from '../../common/http/pagination';
import { AuditService } from '../audit/audit.service';
import { type AuthUser, CurrentUser } from '../../common/auth';
import { CursorPage, ApiListResponse } from '../../common/http/list';
import { Route } from '../../common/http/route.decorator';
import { HttpCache } from '../../common/http-cache';
import { MessageDto } from '../identity/dto/auth.dto';
import {
  CatalogueEntryDto,
  CreateRoleDto,
  RoleDto,
  SetPermissionsDto,
  SetUserRolesDto,
  UpdateRoleDto,
} from './dto/roles.dto';
import {
  AdminUpdateUserDto,
  AdminUserDto,
  AuditEventDto,
  AuditQueryDto,
  CreateUserDto,
  ListUsersQueryDto,
  PublicProfileDto,
} from './dto/users.dto';
import { RolesService } from './roles.service';
import { UsersService } from './users.service';

@ApiTags('Roles')
@Controller()
export class RolesController {
  constructor(private readonly roles: RolesService) {}

  @Get('permissions')
  @Route({
    summary: 'The permission catalogue: every resource and its actions',
    access: 'signed-in',
    response: { type: CatalogueEntryDto, array: true },
  })
  catalogue(): CatalogueEntryDto[] {
    return Object.entries(PERMISSION_CATALOGUE).map(([resource, actions]) => ({ resource, actions: [...actions] }));
  }

  @Get('roles')
  @Route({
    summary: 'Every role with its permissions',
    access: { permissions: ['roles:read'] },
    response: { type: RoleDto, array: true },
  })
  list(): Promise<RoleDto[]> {
    return this.roles.list();
  }

  @Post('roles')
  @Route({
    summary: 'Create a custom role (below your own level, granting only what you hold)',
    access: { permissions: ['roles:create'] },
    response: { type: RoleDto, status: 201 },
    errors: [400, 409],
  })
  create(@CurrentUser() user: AuthUser, @Body() body: CreateRoleDto): Promise<RoleDto> {
    return this.roles.create(user, body);
  }

  @Get('roles/:id')
  @Route({
    summary: 'One role with its permissions',
    access: { permissions: ['roles:read'] },
    response: { type: RoleDto },
    errors: [400, 404],
  })
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<RoleDto> {
    return this.roles.get(id);
  }

  @Patch('roles/:id')
  @Route({
    summary: "Change a role's description or level (system roles: admin only)",
    access: { permissions: ['roles:update'] },
    response: { type: RoleDto },
    errors: [400, 404],
  })
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateRoleDto,
  ): Promise<RoleDto> {
    return this.roles.update(user, id, body);
  }

  @Put('roles/:id/permissions')
  @Route({
    summary: "Replace a role's permissions; takes effect on its holders' next request",
    access: { permissions: ['roles:update'] },
    response: { type: RoleDto },
    errors: [400, 404],
  })
  setPermissions(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: SetPermissionsDto,
  ): Promise<RoleDto> {
    return this.roles.setPermissions(user, id, body.permissions);
  }

  @Delete('roles/:id')
  @Route({
    summary: 'Delete a custom role (system roles cannot be deleted)',
    access: { permissions: ['roles:delete'] },
    response: { type: MessageDto },
    errors: [400, 404],
  })
  async remove(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<MessageDto> {
    await this.roles.remove(user, id);
    return { message: 'Role deleted' };
  }
}

@ApiTags('Users')
@Controller()
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly roles: RolesService,
  ) {}

  @Get('users')
  @ApiListResponse(AdminUserDto)
  @Route({
    summary: 'Find users: search, role, status, multi-key sort, offset or cursor pages',
    description:
      'Lists only the users the caller may read: a `users:read` grant limited by conditions (say, to oneself) lists only the matching rows.',
    access: { permissions: ['users:read'] },
    errors: [400],
  })
  list(
    @CurrentUser() user: AuthUser,
    @Query() query: ListUsersQueryDto,
  ): Promise<Paginated<AdminUserDto> | CursorPage<AdminUserDto>> {
    return this.users.list(user, query);
  }

  @Post('users')
  @Route({
    summary: 'Create an account; an invite mail lets its owner choose a password',
    access: { permissions: ['users:create'] },
    response: { type: AdminUserDto, status: 201 },
    errors: [400, 409],
  })
  create(@CurrentUser() user: AuthUser, @Body() body: CreateUserDto): Promise<AdminUserDto> {
    return this.users.create(user, body);
  }

  @Get('users/:id')
  @Route({
    summary: 'One user, with roles and status',
    access: { permissions: ['users:read'] },
    response: { type: AdminUserDto },
    errors: [400, 404],
  })
  get(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<AdminUserDto> {
    return this.users.get(user, id);
  }

  @Patch('users/:id')
  @Route({
    summary: 'Change names, active flag (deactivation signs out everywhere) or email verification',
    access: { permissions: ['users:update'] },
    response: { type: AdminUserDto },
    errors: [400, 404],
  })
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: AdminUpdateUserDto,
  ): Promise<AdminUserDto> {
    return this.users.update(user, id, body);
  }

  @Delete('users/:id')
  @Route({
    summary: 'Soft-delete a user (restorable during the retention period)',
    access: { permissions: ['users:delete'] },
    response: { type: MessageDto },
    errors: [400, 404, 409],
  })
  async remove(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<MessageDto> {
    await this.users.remove(user, id);
    return { message: 'User deleted' };
  }

  @Post('users/:id/restore')
  @Route({
    summary: 'Undo a deletion',
    access: { permissions: ['users:delete'] },
    response: { type: AdminUserDto },
    errors: [400, 404, 409],
  })
  restore(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<AdminUserDto> {
    return this.users.restore(user, id);
  }

  @Put('users/:id/roles')
  @Route({
    summary: "Replace a user's roles, each optionally until `expiresAt` (never your own)",
    access: { permissions: ['users:assign-roles'] },
    response: { type: AdminUserDto },
    errors: [400, 404],
  })
  async setRoles(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: SetUserRolesDto,
  ): Promise<AdminUserDto> {
    await this.users.assertAssignable(user, id);
    await this.roles.setUserRoles(user, id, body.roles);
    return this.users.get(user, id);
  }

  @Get('profiles/:username')
  @HttpCache({ maxAgeSeconds: 0, visibility: 'public' })
  @Route({
    summary: "A user's public profile (no email address)",
    description: 'Revalidate with `If-None-Match`: an unchanged profile answers 304 without a body.',
    access: 'public',
    response: { type: PublicProfileDto },
    errors: [404],
  })
  profile(@Param('username') username: string): Promise<PublicProfileDto> {
    return this.users.profile(username);
  }
}

@ApiTags('Audit')
@Controller('audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiListResponse(AuditEventDto)
  @Route({
    summary: 'The audit log, newest first, filtered by actor, action, target and time; offset or cursor pages',
    access: { permissions: ['audit:read'] },
    errors: [400],
  })
  list(@Query() query: AuditQueryDto): Promise<Paginated<AuditEventDto> | CursorPage<AuditEventDto>> {
    return this.audit.search(query);
  }
}
