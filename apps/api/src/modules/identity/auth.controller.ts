import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type {} from '@fastify/cookie';
import type { FastifyReply } from 'fastify';
import { ErrorCode, PatScope } from '@atrium/contracts';
import { ApiErrorResponses, ApiSuccessResponse } from '../../common/dto/envelope.dto';
import { ApiException } from '../../common/http/api.exception';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import {
  type AuthenticatedRequest,
  AuthThrottled,
  type AuthUser,
  CurrentUser,
  Public,
  RequireScope,
  RequireVerifiedEmail,
  SessionOnly,
} from './auth.decorators';
import { ApiTokensService } from './api-tokens.service';
import type { ApiTokenEntity } from './entities/api-token.entity';
import { TwoFactorService } from './two-factor.service';
import { avatarUrl } from '../avatars/avatar-key';
import { AbilityService } from '../authorization/ability.service';
import { AuthorizationService } from '../authorization/authorization.service';
import { AuthService } from './auth.service';
import {
  ApiTokenDto,
  ChangePasswordDto,
  CreateApiTokenDto,
  CreatedApiTokenDto,
  DeleteAccountDto,
  DisableTwoFactorDto,
  RecoveryCodesDto,
  TwoFactorCodeDto,
  TwoFactorSetupDto,
  EmailDto,
  LoginDto,
  LoginResponseDto,
  MeDto,
  MessageDto,
  RefreshDto,
  RegisterDto,
  ResetPasswordDto,
  SessionDto,
  TokenDto,
  UpdateMeDto,
  UserDto,
} from './dto/auth.dto';
import type { UserEntity } from './entities/user.entity';
import type { ClientInfo, IssuedSession } from './sessions.service';
import { SessionsService } from './sessions.service';
import { TokensService } from './tokens.service';

export const REFRESH_COOKIE = 'atrium_refresh';
export const AUTH_PATH = '/api/v1/auth';

export const toUserDto = (user: UserEntity): UserDto => ({
  id: user.id,
  email: user.email,
  username: user.username,
  firstName: user.firstName,
  lastName: user.lastName,
  bio: user.bio,
  preferences: user.preferences,
  emailVerified: user.emailVerifiedAt !== null,
  twoFactorEnabled: user.totpEnabledAt !== null,
  avatarUrl: avatarUrl(user.avatarKey),
  createdAt: user.createdAt.toISOString(),
});

const toApiTokenDto = (token: ApiTokenEntity): ApiTokenDto => ({
  id: token.id,
  name: token.name,
  prefix: token.tokenPrefix,
  scopes: token.scopes,
  createdAt: token.createdAt.toISOString(),
  expiresAt: token.expiresAt?.toISOString() ?? null,
  lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
});

/** The session of a `@SessionOnly()` route (personal access tokens never get there). */
const sessionOf = (user: AuthUser): string => {
  if (user.sessionId === null) throw new ApiException(403, ErrorCode.FORBIDDEN, 'Sign in to do this');
  return user.sessionId;
};

export const clientOf = (request: AuthenticatedRequest): ClientInfo => ({
  ip: request.ip ?? null,
  userAgent: typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'] : null,
});

@ApiTags('Auth')
@AuthThrottled()
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    private readonly tokens: TokensService,
    private readonly twoFactor: TwoFactorService,
    private readonly abilities: AbilityService,
    private readonly authorization: AuthorizationService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('register')
  @ApiOperation({ summary: 'Create an account; a verification mail is sent' })
  @ApiSuccessResponse(UserDto, 201, 'Created (email not verified yet)')
  @ApiErrorResponses(400, 409, 429, 500)
  async register(@Body() body: RegisterDto, @Req() request: AuthenticatedRequest): Promise<UserDto> {
    return toUserDto(await this.auth.register(body, clientOf(request)));
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in with email or username and password',
    description:
      'Returns a short-lived access token. The refresh token is set as an HttpOnly, SameSite=Strict cookie scoped to /api/v1/auth; clients without cookies pass `refreshTokenInBody: true` to get it in the body.',
  })
  @ApiSuccessResponse(LoginResponseDto)
  @ApiErrorResponses(400, 401, 423, 429, 500)
  async login(
    @Body() body: LoginDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResponseDto> {
    const { user, issued } = await this.auth.login(body, clientOf(request));
    return this.respondWithTokens(user, issued, reply, body.refreshTokenInBody === true);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiCookieAuth(REFRESH_COOKIE)
  @ApiOperation({
    summary: 'Exchange the refresh token (cookie or body) for a new access token; the refresh token rotates',
    description: 'Presenting a refresh token that was already rotated ends the whole session everywhere.',
  })
  @ApiSuccessResponse(LoginResponseDto)
  @ApiErrorResponses(400, 401, 429, 500)
  async refresh(
    @Body() body: RefreshDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResponseDto> {
    const token = body.refreshToken ?? request.cookies?.[REFRESH_COOKIE];
    if (!token) throw new ApiException(401, ErrorCode.UNAUTHENTICATED, 'No refresh token; sign in again');
    const { user, issued } = await this.auth.refresh(token, clientOf(request));
    return this.respondWithTokens(user, issued, reply, body.refreshTokenInBody === true || !!body.refreshToken);
  }

  private async respondWithTokens(
    user: UserEntity,
    issued: IssuedSession,
    reply: FastifyReply,
    inBody: boolean,
  ): Promise<LoginResponseDto> {
    const access = await this.tokens.signAccess(user.id, issued.session.familyId);
    void reply.setCookie(REFRESH_COOKIE, issued.refreshToken, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.auth.secureCookies,
      path: AUTH_PATH,
      expires: issued.session.expiresAt,
    });
    return {
      accessToken: access.token,
      tokenType: 'Bearer',
      expiresIn: access.expiresIn,
      user: toUserDto(user),
      ...(inBody ? { refreshToken: issued.refreshToken } : {}),
    };
  }

  @Post('logout')
  @SessionOnly()
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'End this session: its refresh token and access tokens stop working at once' })
  @ApiSuccessResponse(MessageDto)
  @ApiErrorResponses(401, 429, 500)
  async logout(
    @CurrentUser() user: AuthUser,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MessageDto> {
    await this.sessions.revokeFamily(sessionOf(user), 'logout');
    void reply.clearCookie(REFRESH_COOKIE, { path: AUTH_PATH });
    await this.auth.recordSessionEvent(user.id, 'auth.logout', sessionOf(user), clientOf(request));
    return { message: 'Signed out' };
  }

  @Post('logout-all')
  @SessionOnly()
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'End every session of this account, this one included' })
  @ApiSuccessResponse(MessageDto)
  @ApiErrorResponses(401, 429, 500)
  async logoutAll(
    @CurrentUser() user: AuthUser,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MessageDto> {
    const ended = await this.sessions.revokeAllForUser(user.id, 'logout_all');
    void reply.clearCookie(REFRESH_COOKIE, { path: AUTH_PATH });
    await this.auth.recordSessionEvent(user.id, 'auth.logout_all', `user:${user.id}`, clientOf(request));
    return { message: `Signed out of ${ended} session(s)` };
  }

  @Get('sessions')
  @SessionOnly()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in sessions of this account (devices)' })
  @ApiSuccessResponse(SessionDto, 200, 'Success', { array: true })
  @ApiErrorResponses(401, 429, 500)
  async listSessions(@CurrentUser() user: AuthUser): Promise<SessionDto[]> {
    const [active, started] = await Promise.all([
      this.sessions.listActive(user.id),
      this.sessions.familyStarts(user.id),
    ]);
    return active.map((s) => ({
      id: s.familyId,
      userAgent: s.userAgent,
      ip: s.ip,
      createdAt: (started.get(s.familyId) ?? s.createdAt).toISOString(),
      lastUsedAt: s.lastUsedAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
      current: s.familyId === user.sessionId,
    }));
  }

  @Delete('sessions/:id')
  @SessionOnly()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'End one session of this account' })
  @ApiSuccessResponse(MessageDto)
  @ApiErrorResponses(400, 401, 404, 429, 500)
  async revokeSession(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Req() request: AuthenticatedRequest,
  ): Promise<MessageDto> {
    // Another user's session id is a 404 too: nothing tells whether it exists.
    if (!(await this.sessions.findActiveFamily(user.id, id))) {
      throw new ApiException(404, ErrorCode.NOT_FOUND, 'No such session');
    }
    await this.sessions.revokeFamily(id, 'revoked');
    await this.auth.recordSessionEvent(user.id, 'auth.session_revoked', id, clientOf(request));
    return { message: 'Session ended' };
  }

  @Public()
  @Post('verify-email')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm the email address with the token from the verification mail' })
  @ApiSuccessResponse(MessageDto)
  @ApiErrorResponses(400, 429, 500)
  async verifyEmail(@Body() body: TokenDto, @Req() request: AuthenticatedRequest): Promise<MessageDto> {
    await this.auth.verifyEmail(body.token, clientOf(request));
    return { message: 'Email address verified' };
  }

  @Post('resend-verification')
  @HttpCode(202)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Send a new verification mail to the signed-in user' })
  @ApiSuccessResponse(MessageDto, 202)
  @ApiErrorResponses(401, 409, 429, 500)
  async resendVerification(@CurrentUser() user: AuthUser): Promise<MessageDto> {
    await this.auth.resendVerification(user.id);
    return { message: 'A new verification mail is on its way' };
  }

  @Public()
  @Post('forgot-password')
  @HttpCode(202)
  @ApiOperation({ summary: 'Mail a password reset link, if an account has this address (always 202)' })
  @ApiSuccessResponse(MessageDto, 202)
  @ApiErrorResponses(400, 429, 500)
  async forgotPassword(@Body() body: EmailDto, @Req() request: AuthenticatedRequest): Promise<MessageDto> {
    await this.auth.forgotPassword(body.email, clientOf(request));
    return { message: 'If an account uses this address, a reset link is on its way' };
  }

  @Public()
  @Post('reset-password')
  @HttpCode(200)
  @ApiOperation({ summary: 'Set a new password with the token from the reset mail; ends every session' })
  @ApiSuccessResponse(MessageDto)
  @ApiErrorResponses(400, 429, 500)
  async resetPassword(@Body() body: ResetPasswordDto, @Req() request: AuthenticatedRequest): Promise<MessageDto> {
    await this.auth.resetPassword(body.token, body.password, clientOf(request));
    return { message: 'Password changed; sign in with the new one' };
  }

  @Post('change-password')
  @SessionOnly()
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change the password; every other session ends' })
  @ApiSuccessResponse(MessageDto)
  @ApiErrorResponses(400, 401, 429, 500)
  async changePassword(
    @CurrentUser() user: AuthUser,
    @Body() body: ChangePasswordDto,
    @Req() request: AuthenticatedRequest,
  ): Promise<MessageDto> {
    await this.auth.changePassword(user.id, sessionOf(user), body, clientOf(request));
    return { message: 'Password changed; your other sessions were signed out' };
  }

  @Post('2fa/setup')
  @HttpCode(200)
  @SessionOnly()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Start enabling two-factor authentication: a new TOTP secret and its otpauth URI' })
  @ApiSuccessResponse(TwoFactorSetupDto)
  @ApiErrorResponses(401, 403, 409, 429, 500)
  setupTwoFactor(@CurrentUser() user: AuthUser): Promise<TwoFactorSetupDto> {
    return this.twoFactor.setup(user.id);
  }

  @Post('2fa/enable')
  @HttpCode(200)
  @SessionOnly()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Turn two-factor authentication on with a first code; returns ten recovery codes, once' })
  @ApiSuccessResponse(RecoveryCodesDto)
  @ApiErrorResponses(400, 401, 403, 409, 429, 500)
  async enableTwoFactor(
    @CurrentUser() user: AuthUser,
    @Body() body: TwoFactorCodeDto,
    @Req() request: AuthenticatedRequest,
  ): Promise<RecoveryCodesDto> {
    return { recoveryCodes: await this.twoFactor.enable(user.id, body.code, clientOf(request)) };
  }

  @Post('2fa/disable')
  @HttpCode(200)
  @SessionOnly()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Turn two-factor authentication off (password and a code or recovery code)' })
  @ApiSuccessResponse(MessageDto)
  @ApiErrorResponses(400, 401, 403, 409, 429, 500)
  async disableTwoFactor(
    @CurrentUser() user: AuthUser,
    @Body() body: DisableTwoFactorDto,
    @Req() request: AuthenticatedRequest,
  ): Promise<MessageDto> {
    await this.twoFactor.disable(user.id, body.password, body.code, clientOf(request));
    return { message: 'Two-factor authentication is off' };
  }

  @Get('me')
  @RequireScope(PatScope.PROFILE_READ)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in user, with roles and permissions' })
  @ApiSuccessResponse(MeDto)
  @ApiErrorResponses(401, 429, 500)
  async me(@CurrentUser() user: AuthUser): Promise<MeDto> {
    const entity = await this.auth.findActiveUser(user.id);
    if (!entity) throw new ApiException(401, ErrorCode.UNAUTHENTICATED, 'Authentication required');
    const [roles, permissions] = await Promise.all([
      this.abilities.rolesOf(user.id),
      this.authorization.heldPermissions(user),
    ]);
    return { ...toUserDto(entity), roles: roles.map((r) => r.name), permissions };
  }
}

@ApiTags('Me')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(
    private readonly auth: AuthService,
    private readonly apiTokens: ApiTokensService,
    private readonly authorization: AuthorizationService,
  ) {}

  @Delete()
  @SessionOnly()
  @ApiOperation({
    summary: 'Delete your account (password-confirmed)',
    description:
      'Signs out everywhere and revokes every token at once. The email address and username become free again after the retention period (30 days).',
  })
  @ApiSuccessResponse(MessageDto)
  @ApiErrorResponses(400, 401, 403, 429, 500)
  async remove(
    @CurrentUser() user: AuthUser,
    @Body() body: DeleteAccountDto,
    @Req() request: AuthenticatedRequest,
  ): Promise<MessageDto> {
    await this.auth.deleteAccount(user.id, body.password, clientOf(request));
    return { message: 'Your account is deleted' };
  }

  @Get('tokens')
  @SessionOnly()
  @ApiOperation({ summary: 'Your personal access tokens (without their secret)' })
  @ApiSuccessResponse(ApiTokenDto, 200, 'Success', { array: true })
  @ApiErrorResponses(401, 403, 429, 500)
  async listTokens(@CurrentUser() user: AuthUser): Promise<ApiTokenDto[]> {
    return (await this.apiTokens.list(user.id)).map(toApiTokenDto);
  }

  @Post('tokens')
  @SessionOnly()
  @RequireVerifiedEmail()
  @ApiOperation({
    summary: 'Create a personal access token for an integration; the token is shown only in this response',
  })
  @ApiSuccessResponse(CreatedApiTokenDto, 201)
  @ApiErrorResponses(400, 401, 403, 409, 429, 500)
  async createToken(
    @CurrentUser() user: AuthUser,
    @Body() body: CreateApiTokenDto,
    @Req() request: AuthenticatedRequest,
  ): Promise<CreatedApiTokenDto> {
    const held = new Set(await this.authorization.heldPermissions(user));
    const unheld = body.scopes.filter((scope) => !held.has(scope));
    if (unheld.length > 0) {
      throw new ApiException(
        403,
        ErrorCode.FORBIDDEN,
        `A token cannot have scopes you do not hold: ${unheld.join(', ')}`,
      );
    }
    const { entity, token } = await this.apiTokens.create(
      user.id,
      { name: body.name, scopes: body.scopes, expiresAt: body.expiresAt ? new Date(body.expiresAt) : undefined },
      clientOf(request),
    );
    return { ...toApiTokenDto(entity), token };
  }

  @Delete('tokens/:id')
  @SessionOnly()
  @ApiOperation({ summary: 'Revoke a personal access token; it stops working at once' })
  @ApiSuccessResponse(MessageDto)
  @ApiErrorResponses(400, 401, 403, 404, 429, 500)
  async revokeToken(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Req() request: AuthenticatedRequest,
  ): Promise<MessageDto> {
    await this.apiTokens.revoke(user.id, id, clientOf(request));
    return { message: 'Token revoked' };
  }

  @Patch()
  @RequireScope(PatScope.PROFILE_WRITE)
  @ApiOperation({ summary: 'Update your profile: names, bio, preferences (any other field is rejected)' })
  @ApiSuccessResponse(UserDto)
  @ApiErrorResponses(400, 401, 429, 500)
  async update(@CurrentUser() user: AuthUser, @Body() body: UpdateMeDto): Promise<UserDto> {
    return toUserDto(await this.auth.updateProfile(user.id, body));
  }
}
