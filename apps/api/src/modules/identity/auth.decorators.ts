import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

export const IS_PUBLIC = 'atrium:isPublic';
export const AUTH_THROTTLED = 'atrium:authThrottled';

/** The route needs no authentication (the global guard lets it through). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** The route counts against the stricter per-IP auth limit (AUTH_THROTTLE_LIMIT per AUTH_THROTTLE_TTL). */
export const AuthThrottled = (): MethodDecorator & ClassDecorator => SetMetadata(AUTH_THROTTLED, true);

/** Whether the handler or its controller is `@AuthThrottled()` (read by the `auth` throttler). */
export function isAuthThrottled(context: ExecutionContext): boolean {
  return (
    Reflect.getMetadata(AUTH_THROTTLED, context.getHandler()) === true ||
    Reflect.getMetadata(AUTH_THROTTLED, context.getClass()) === true
  );
}

/** Who made an authenticated request. */
export interface AuthUser {
  id: string;
  email: string;
  username: string;
  emailVerified: boolean;
  /** The session (`sid`) the access token belongs to. */
  sessionId: string;
}

export type AuthenticatedRequest = FastifyRequest & { user?: AuthUser };

/** The authenticated user of the request (routes behind the global guard). */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthUser => {
  const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
  if (!user) throw new Error('CurrentUser used on a public route');
  return user;
});
