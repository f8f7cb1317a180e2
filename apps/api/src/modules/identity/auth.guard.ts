import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ErrorCode } from '@atrium/contracts';
import { ApiException } from '../../common/http/api.exception';
import { type AuthenticatedRequest, IS_PUBLIC } from './auth.decorators';
import { AuthService } from './auth.service';
import { SessionsService } from './sessions.service';
import { TokensService } from './tokens.service';

const unauthenticated = (): ApiException => new ApiException(401, ErrorCode.UNAUTHENTICATED, 'Authentication required');

/**
 * Deny by default: every route needs a valid access token unless it is `@Public()`. The token's
 * session must not be revoked, and its user must still be active (checked on every request).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokensService,
    private readonly sessions: SessionsService,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header) : null;
    if (!match) throw unauthenticated();
    const claims = await this.tokens.verifyAccess(match[1]);
    if (await this.sessions.isRevoked(claims.sid)) throw unauthenticated();
    const user = await this.auth.findActiveUser(claims.sub);
    if (!user) throw unauthenticated();
    request.user = {
      id: user.id,
      email: user.email,
      username: user.username,
      emailVerified: user.emailVerifiedAt !== null,
      sessionId: claims.sid,
    };
    return true;
  }
}
