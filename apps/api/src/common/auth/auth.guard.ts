import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ErrorCode, type Permission } from '@atrium/contracts';
import { requestContext } from '../context/request-context';
import { ApiException } from '../http/api.exception';
import { IDENTIFIES, IS_PUBLIC, REQUIRED_SCOPE, SESSION_ONLY, VERIFIED_EMAIL } from './auth.decorators';
import { type AuthenticatedRequest, AUTHENTICATOR, type Authenticator, AUTHORIZER, type Authorizer } from './auth-user';
import { REQUIRED_PERMISSIONS } from './require-permissions.decorator';

/** Where a route's metadata is read: its handler, then its controller. */
type Targets = [ReturnType<ExecutionContext['getHandler']>, ReturnType<ExecutionContext['getClass']>];

/** RFC 7235: the scheme name is case-insensitive. */
const BEARER = /^bearer ([A-Za-z0-9._~+/=-]+)$/i;

/**
 * Deny by default: every route needs a valid access token or personal access token unless it is
 * `@Public()`. Who the caller is comes from the authenticator (identity), what they may do from the
 * authorizer (authorization); this guard only applies the route's metadata. Personal access tokens
 * are held to their scopes and kept away from account security (`@SessionOnly()`).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTHENTICATOR) private readonly authenticator: Authenticator,
    @Inject(AUTHORIZER) private readonly authorizer: Authorizer,
  ) {}

  /**
   * `true` at once for a public route's anonymous caller, and for any caller of a public route that
   * does not identify them: no promise for Nest to await (decision 117). The rest is `authenticate`.
   */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const targets: Targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
      // A public route that identifies its callers: anonymous is fine, a bad credential is not.
      if (header === undefined || !this.reflector.getAllAndOverride<boolean>(IDENTIFIES, targets)) return true;
    }
    return this.authenticate(request, header, targets);
  }

  private async authenticate(
    request: AuthenticatedRequest,
    header: string | string[] | undefined,
    targets: Targets,
  ): Promise<boolean> {
    const match = typeof header === 'string' ? BEARER.exec(header) : null;
    const user = match ? await this.authenticator.authenticate(match[1]) : null;
    if (!user) throw new ApiException(401, ErrorCode.UNAUTHENTICATED, 'Authentication required');
    request.user = user;
    requestContext.setActor(user);

    if (user.pat) {
      if (this.reflector.getAllAndOverride<boolean>(SESSION_ONLY, targets)) {
        throw new ApiException(403, ErrorCode.FORBIDDEN, 'Personal access tokens cannot do this; sign in instead');
      }
      const scope = this.reflector.getAllAndOverride<string | undefined>(REQUIRED_SCOPE, targets);
      if (scope && !user.pat.scopes.includes(scope)) {
        throw new ApiException(403, ErrorCode.FORBIDDEN, `This token lacks the "${scope}" scope`);
      }
    }
    if (this.reflector.getAllAndOverride<boolean>(VERIFIED_EMAIL, targets) && !user.emailVerified) {
      throw new ApiException(403, ErrorCode.EMAIL_NOT_VERIFIED, 'Verify your email address first');
    }
    const required = this.reflector.getAllAndOverride<Permission[] | undefined>(REQUIRED_PERMISSIONS, targets);
    if (required?.length) await this.authorizer.assertAll(user, required);
    return true;
  }
}
