import { Injectable } from '@nestjs/common';
import type {} from '@fastify/cookie';
import type { FastifyReply } from 'fastify';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import type { LoginResponseDto } from './dto/auth.dto';
import { toUserDto } from './dto/identity.mappers';
import type { UserEntity } from './entities/user.entity';
import type { IssuedSession } from './sessions.service';
import { TokensService } from './tokens.service';

export const REFRESH_COOKIE = 'atrium_refresh';
export const AUTH_PATH = '/api/v1/auth';

/** A session just started or renewed: what `SignInService` hands back. */
export interface SignedIn {
  user: UserEntity;
  issued: IssuedSession;
}

/**
 * The answer of every route that signs someone in (`POST /auth/login`, `/auth/refresh`,
 * `/setup`): an access token and the user in the body, the refresh token as an HttpOnly,
 * SameSite=Strict cookie scoped to /api/v1/auth (and in the body too when asked).
 */
@Injectable()
export class SignInResponses {
  constructor(
    private readonly tokens: TokensService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async send({ user, issued }: SignedIn, reply: FastifyReply, inBody: boolean): Promise<LoginResponseDto> {
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
}
