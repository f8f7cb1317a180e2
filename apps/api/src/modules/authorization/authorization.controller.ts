import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PERMISSION_CATALOGUE } from '@atrium/contracts';
import { ApiErrorResponses, ApiSuccessResponse } from '../../common/dto/envelope.dto';
import { ApiPaginatedResponse, Paginated } from '../../common/http/pagination';
import { AuditService } from '../audit/audit.service';
import { type AuthUser, CurrentUser, RequirePermissions } from '../../common/auth';
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
@ApiBearerAuth()
@Controller()
export class RolesController {
  constructor(private readonly roles: RolesService) {}

  @Get('permissions')
  @ApiOperation({ summary: 'The permission catalogue: every resource and its actions' })
  @ApiSuccessResponse(CatalogueEntryDto, 200, 'Success', { array: true })
  @ApiErrorResponses(401, 429, 500)
  catalogue(): CatalogueEntryDto[] {
    return Object.entries(PERMISSION_CATALOGUE).map(([resource, actions]) => ({ resource, actions: [...actions] }));
  }

  @Get('roles')
  @RequirePermissions('roles:read')
  @ApiOperation({ summary: 'Every role with its permissions' })
  @ApiSuccessResponse(RoleDto, 200, 'Success', { array: true })
  @ApiErrorResponses(401, 403, 429, 500)
  list(): Promise<RoleDto[]> {
    return this.roles.list();
  }

  @Post('roles')
  @RequirePermissions('roles:create')
  @ApiOperation({ summary: 'Create a custom role (below your own level, granting only what you hold)' })
  @ApiSuccessResponse(RoleDto, 201)
  @ApiErrorResponses(400, 401, 403, 409, 429, 500)
  create(@CurrentUser() user: AuthUser, @Body() body: CreateRoleDto): Promise<RoleDto> {
    return this.roles.create(user, body);
  }

  @Get('roles/:id')
  @RequirePermissions('roles:read')
  @ApiOperation({ summary: 'One role with its permissions' })
  @ApiSuccessResponse(RoleDto)
  @ApiErrorResponses(400, 401, 403, 404, 429, 500)
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<RoleDto> {
    return this.roles.get(id);
  }

  @Patch('roles/:id')
  @RequirePermissions('roles:update')
  @ApiOperation({ summary: "Change a role's description or level (system roles: admin only)" })
  @ApiSuccessResponse(RoleDto)
  @ApiErrorResponses(400, 401, 403, 404, 429, 500)
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateRoleDto,
  ): Promise<RoleDto> {
    return this.roles.update(user, id, body);
  }

  @Put('roles/:id/permissions')
  @RequirePermissions('roles:update')
  @ApiOperation({ summary: "Replace a role's permissions; takes effect on its holders' next request" })
  @ApiSuccessResponse(RoleDto)
  @ApiErrorResponses(400, 401, 403, 404, 429, 500)
  setPermissions(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: SetPermissionsDto,
  ): Promise<RoleDto> {
    return this.roles.setPermissions(user, id, body.permissions);
  }

  @Delete('roles/:id')
  @RequirePermissions('roles:delete')
  @ApiOperation({ summary: 'Delete a custom role (system roles cannot be deleted)' })
  @ApiSuccessResponse(MessageDto)
  @ApiErrorResponses(400, 401, 403, 404, 429, 500)
  async remove(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<MessageDto> {
    await this.roles.remove(user, id);
    return { message: 'Role deleted' };
  }
}

@ApiTags('Users')
@ApiBearerAuth()
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
  @RequirePermissions('users:create')
  @ApiOperation({ summary: 'Create an account; an invite mail lets its owner choose a password' })
  @ApiSuccessResponse(AdminUserDto, 201)
  @ApiErrorResponses(400, 401, 403, 409, 429, 500)
  create(@CurrentUser() user: AuthUser, @Body() body: CreateUserDto): Promise<AdminUserDto> {
    return this.users.create(user, body);
  }

  @Get('users/:id')
  @RequirePermissions('users:read')
  @ApiOperation({ summary: 'One user, with roles and status' })
  @ApiSuccessResponse(AdminUserDto)
  @ApiErrorResponses(400, 401, 403, 404, 429, 500)
  get(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<AdminUserDto> {
    return this.users.get(user, id);
  }

  @Patch('users/:id')
  @RequirePermissions('users:update')
  @ApiOperation({ summary: 'Change names, active flag (deactivation signs out everywhere) or email verification' })
  @ApiSuccessResponse(AdminUserDto)
  @ApiErrorResponses(400, 401, 403, 404, 429, 500)
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: AdminUpdateUserDto,
  ): Promise<AdminUserDto> {
    return this.users.update(user, id, body);
  }

  @Delete('users/:id')
  @RequirePermissions('users:delete')
  @ApiOperation({ summary: 'Soft-delete a user (restorable during the retention period)' })
  @ApiSuccessResponse(MessageDto)
  @ApiErrorResponses(400, 401, 403, 404, 409, 429, 500)
  async remove(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<MessageDto> {
    await this.users.remove(user, id);
    return { message: 'User deleted' };
  }

  @Post('users/:id/restore')
  @HttpCode(200)
  @RequirePermissions('users:delete')
  @ApiOperation({ summary: 'Undo a deletion' })
  @ApiSuccessResponse(AdminUserDto)
  @ApiErrorResponses(400, 401, 403, 404, 409, 429, 500)
  restore(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<AdminUserDto> {
    return this.users.restore(user, id);
  }

  @Put('users/:id/roles')
  @RequirePermissions('users:assign-roles')
  @ApiOperation({ summary: "Replace a user's roles, each optionally until `expiresAt` (never your own)" })
  @ApiSuccessResponse(AdminUserDto)
  @ApiErrorResponses(400, 401, 403, 404, 429, 500)
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
@ApiBearerAuth()
@Controller('audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @RequirePermissions('audit:read')
  @ApiOperation({ summary: 'The audit log, newest first, filtered by actor, action, target and time' })
  @ApiPaginatedResponse(AuditEventDto)
  @ApiErrorResponses(400, 401, 403, 429, 500)
  async list(@Query() query: AuditQueryDto): Promise<Paginated<AuditEventDto>> {
    const { items, total } = await this.audit.search(query);
    return new Paginated(items, query.page, query.perPage, total);
  }
}
