import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type {} from '@fastify/cookie';
import type { FastifyReply } from 'fastify';
import { ErrorCode } from '@atrium/contracts';
import { ApiErrorResponses, ApiSuccessResponse } from '../../common/dto/envelope.dto';
import { ApiException } from '../../common/http/api.exception';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import { type AuthenticatedRequest, AuthThrottled, type AuthUser, CurrentUser, Public } from './auth.decorators';
import { AuthService } from './auth.service';
import {
  ChangePasswordDto,
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
  createdAt: user.createdAt.toISOString(),
});

const clientOf = (request: AuthenticatedRequest): ClientInfo => ({
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
    await this.sessions.revokeFamily(user.sessionId, 'logout');
    void reply.clearCookie(REFRESH_COOKIE, { path: AUTH_PATH });
    await this.auth.recordSessionEvent(user.id, 'auth.logout', user.sessionId, clientOf(request));
    return { message: 'Signed out' };
  }

  @Post('logout-all')
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
    await this.auth.changePassword(user.id, user.sessionId, body, clientOf(request));
    return { message: 'Password changed; your other sessions were signed out' };
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in user, with roles and permissions' })
  @ApiSuccessResponse(MeDto)
  @ApiErrorResponses(401, 429, 500)
  async me(@CurrentUser() user: AuthUser): Promise<MeDto> {
    const entity = await this.auth.findActiveUser(user.id);
    if (!entity) throw new ApiException(401, ErrorCode.UNAUTHENTICATED, 'Authentication required');
    // Roles arrive with the authorization module; until then every account is a plain user.
    return { ...toUserDto(entity), roles: ['user'], permissions: [] };
  }
}

@ApiTags('Me')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(private readonly auth: AuthService) {}

  @Patch()
  @ApiOperation({ summary: 'Update your profile: names, bio, preferences (any other field is rejected)' })
  @ApiSuccessResponse(UserDto)
  @ApiErrorResponses(400, 401, 429, 500)
  async update(@CurrentUser() user: AuthUser, @Body() body: UpdateMeDto): Promise<UserDto> {
    return toUserDto(await this.auth.updateProfile(user.id, body));
  }
}
