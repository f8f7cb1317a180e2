import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ErrorCode, PAT_PREFIX, type Permission } from '@atrium/contracts';
import { AuthorizationService } from '../authorization/authorization.service';
import { REQUIRED_PERMISSIONS } from '../authorization/require-permissions.decorator';
import { ApiException } from '../../common/http/api.exception';
import { ApiTokensService } from './api-tokens.service';
import {
  type AuthenticatedRequest,
  type AuthUser,
  IS_PUBLIC,
  REQUIRED_SCOPE,
  SESSION_ONLY,
  VERIFIED_EMAIL,
} from './auth.decorators';
import { AuthService } from './auth.service';
import { SessionsService } from './sessions.service';
import { TokensService } from './tokens.service';

const unauthenticated = (): ApiException => new ApiException(401, ErrorCode.UNAUTHENTICATED, 'Authentication required');

/**
 * Deny by default: every route needs a valid access token or personal access token unless it is
 * `@Public()`. A session must not be revoked, a token not revoked or expired, and the user must
 * still be active (checked on every request). Personal access tokens are held to their scopes and
 * kept away from account security (`@SessionOnly()`).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokensService,
    private readonly sessions: SessionsService,
    private readonly auth: AuthService,
    private readonly apiTokens: ApiTokensService,
    private readonly authorization: AuthorizationService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header) : null;
    if (!match) throw unauthenticated();
    request.user = match[1].startsWith(PAT_PREFIX)
      ? await this.fromPersonalToken(match[1])
      : await this.fromAccessToken(match[1]);

    if (request.user.pat) {
      if (this.reflector.getAllAndOverride<boolean>(SESSION_ONLY, targets)) {
        throw new ApiException(403, ErrorCode.FORBIDDEN, 'Personal access tokens cannot do this; sign in instead');
      }
      const scope = this.reflector.getAllAndOverride<string | undefined>(REQUIRED_SCOPE, targets);
      if (scope && !request.user.pat.scopes.includes(scope)) {
        throw new ApiException(403, ErrorCode.FORBIDDEN, `This token lacks the "${scope}" scope`);
      }
    }
    if (this.reflector.getAllAndOverride<boolean>(VERIFIED_EMAIL, targets) && !request.user.emailVerified) {
      throw new ApiException(403, ErrorCode.EMAIL_NOT_VERIFIED, 'Verify your email address first');
    }
    const required = this.reflector.getAllAndOverride<Permission[] | undefined>(REQUIRED_PERMISSIONS, targets);
    if (required?.length) await this.authorization.assertAll(request.user, required);
    return true;
  }

  private async fromAccessToken(token: string): Promise<AuthUser> {
    const claims = await this.tokens.verifyAccess(token);
    if (await this.sessions.isRevoked(claims.sid)) throw unauthenticated();
    return this.userOf(claims.sub, { sessionId: claims.sid });
  }

  private async fromPersonalToken(token: string): Promise<AuthUser> {
    const pat = await this.apiTokens.authenticate(token);
    if (!pat) throw unauthenticated();
    return this.userOf(pat.userId, { sessionId: null, pat: { id: pat.id, scopes: pat.scopes } });
  }

  private async userOf(userId: string, via: Pick<AuthUser, 'sessionId' | 'pat'>): Promise<AuthUser> {
    const user = await this.auth.findActiveUser(userId);
    if (!user) throw unauthenticated();
    return {
      id: user.id,
      email: user.email,
      username: user.username,
      emailVerified: user.emailVerifiedAt !== null,
      ...via,
    };
  }
}
