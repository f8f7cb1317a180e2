import { Controller, Post, Req, Res } from '@nestjs/common';
import { Body } from '../../common/http/validation';
import { ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import type {} from '@fastify/cookie';
import type { FastifyReply } from 'fastify';
import { type AuthenticatedRequest, AuthThrottled, type AuthUser, CurrentUser } from '../../common/auth';
import { Errors } from '../../common/http/errors';
import { assertSameOrigin } from '../../common/http/same-origin';
import { Route } from '../../common/http/route.decorator';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import { AccountsService } from './accounts.service';
import { CredentialsService } from './credentials.service';
import {
  ChangePasswordDto,
  EmailDto,
  LoginDto,
  LoginResponseDto,
  MessageDto,
  RefreshDto,
  RegisterDto,
  ResetPasswordDto,
  TokenDto,
  VerifyEmailResultDto,
} from './dto/auth.dto';
import { SessionsService } from './sessions.service';
import { AUTH_PATH, REFRESH_COOKIE, SignInResponses } from './sign-in-responses';
import { SignInService } from './sign-in.service';

/** The session of a `session` route (personal access tokens never get there). */
export const sessionOf = (user: AuthUser): string => {
  if (user.sessionId === null) throw Errors.forbidden('Sign in to do this');
  return user.sessionId;
};

/** Accounts and credentials: sign-up, sign-in, refresh, sign-out, email verification, passwords. */
@ApiTags('Auth')
@AuthThrottled()
@Controller('auth')
export class AuthController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly signIn: SignInService,
    private readonly credentials: CredentialsService,
    private readonly sessions: SessionsService,
    private readonly responses: SignInResponses,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  @Post('register')
  @Route({
    summary: 'Sign up; a mail with a confirmation link follows',
    description:
      'Answers 202 the same way whether or not the address already has an account, so the answer tells nobody who has one: a new address gets a confirmation link, the owner of a taken one a notice suggesting to sign in or reset the password. Then sign in with `POST /auth/login`. Usernames are public (profile pages): a taken one answers 409.',
    access: 'public',
    response: { type: MessageDto, status: 202, description: 'Accepted: check the inbox of the address' },
    errors: [400, 409],
  })
  async register(@Body() body: RegisterDto): Promise<MessageDto> {
    await this.accounts.register(body);
    return { message: 'Check your inbox: we sent a mail to confirm the address' };
  }

  @Post('login')
  @Route({
    summary: 'Sign in with email or username and password',
    description:
      'Returns a short-lived access token. The refresh token is set as an HttpOnly, SameSite=Strict cookie scoped to /api/v1/auth; clients without cookies pass `refreshTokenInBody: true` to get it in the body.',
    access: 'public',
    response: { type: LoginResponseDto },
    errors: [400, 401, 423],
  })
  async login(@Body() body: LoginDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<LoginResponseDto> {
    return this.responses.send(await this.signIn.login(body), reply, body.refreshTokenInBody === true);
  }

  @Post('refresh')
  @ApiCookieAuth(REFRESH_COOKIE)
  @Route({
    summary: 'Exchange the refresh token (cookie or body) for a new access token; the refresh token rotates',
    description: 'Presenting a refresh token that was already rotated ends the whole session everywhere.',
    access: 'public',
    response: { type: LoginResponseDto },
    errors: [400, 401, 403],
  })
  async refresh(
    @Body() body: RefreshDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResponseDto> {
    const cookie = body.refreshToken === undefined ? request.cookies?.[REFRESH_COOKIE] : undefined;
    // The cookie travels by itself: make sure a page of this app asked.
    if (cookie !== undefined) assertSameOrigin(request, this.config);
    const token = body.refreshToken ?? cookie;
    if (!token) throw Errors.unauthenticated('No refresh token; sign in again');
    const signedIn = await this.signIn.refresh(token);
    return this.responses.send(signedIn, reply, body.refreshTokenInBody === true || !!body.refreshToken);
  }

  @Post('logout')
  @Route({
    summary: 'End this session: its refresh token and access tokens stop working at once',
    access: 'session',
    response: { type: MessageDto },
  })
  async logout(@CurrentUser() user: AuthUser, @Res({ passthrough: true }) reply: FastifyReply): Promise<MessageDto> {
    await this.sessions.signOut(user.id, sessionOf(user));
    void reply.clearCookie(REFRESH_COOKIE, { path: AUTH_PATH });
    return { message: 'Signed out' };
  }

  @Post('logout-all')
  @Route({
    summary: 'End every session of this account, this one included',
    access: 'session',
    response: { type: MessageDto },
  })
  async logoutAll(@CurrentUser() user: AuthUser, @Res({ passthrough: true }) reply: FastifyReply): Promise<MessageDto> {
    const ended = await this.sessions.signOutEverywhere(user.id);
    void reply.clearCookie(REFRESH_COOKIE, { path: AUTH_PATH });
    return { message: `Signed out of ${ended} session(s)` };
  }

  @Post('verify-email')
  @Route({
    summary: 'Confirm the email address with the token from the verification mail',
    description: [
      'A link works once, for 48 hours. Opening it again is not an error: while the link has not expired, and its account is active with the address confirmed, the answer is 200 with `alreadyVerified: true` (so is a second mailed link once the first worked).',
      'Such an answer tells the holder of the link nothing new: it was mailed to that address. Every other token — unknown, expired, or used by an account deactivated or deleted since — answers the same 400. Password-reset links are never treated this way: a used one is as invalid as an unknown one.',
    ].join('\n\n'),
    access: 'public',
    response: { type: VerifyEmailResultDto },
    errors: [400],
  })
  async verifyEmail(@Body() body: TokenDto): Promise<VerifyEmailResultDto> {
    const { alreadyVerified } = await this.accounts.verifyEmail(body.token);
    return {
      message: alreadyVerified ? 'Email address already verified' : 'Email address verified',
      alreadyVerified,
    };
  }

  @Post('resend-verification')
  @Route({
    summary: 'Send a new verification mail to the signed-in user (once a minute at most)',
    access: 'session',
    response: { type: MessageDto, status: 202 },
    errors: [409],
  })
  async resendVerification(@CurrentUser() user: AuthUser): Promise<MessageDto> {
    await this.accounts.resendVerification(user.id);
    return { message: 'A new verification mail is on its way' };
  }

  @Post('forgot-password')
  @Route({
    summary: 'Mail a password reset link, if an account has this address (always 202)',
    access: 'public',
    response: { type: MessageDto, status: 202 },
    errors: [400],
  })
  async forgotPassword(@Body() body: EmailDto): Promise<MessageDto> {
    await this.credentials.forgotPassword(body.email);
    return { message: 'If an account uses this address, a reset link is on its way' };
  }

  @Post('reset-password')
  @Route({
    summary: 'Set a new password with the token from the reset mail; ends every session',
    access: 'public',
    response: { type: MessageDto },
    errors: [400],
  })
  async resetPassword(@Body() body: ResetPasswordDto): Promise<MessageDto> {
    await this.credentials.resetPassword(body.token, body.password);
    return { message: 'Password changed; sign in with the new one' };
  }

  @Post('change-password')
  @Route({
    summary: 'Change the password; every other session ends',
    access: 'session',
    response: { type: MessageDto },
    errors: [400],
  })
  async changePassword(@CurrentUser() user: AuthUser, @Body() body: ChangePasswordDto): Promise<MessageDto> {
    await this.credentials.changePassword(user.id, sessionOf(user), body);
    return { message: 'Password changed; your other sessions were signed out' };
  }
}
