import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { PatScope } from '@atrium/contracts';
import type { AuthenticatedRequest, AuthUser } from './auth-user';

export const IS_PUBLIC = 'atrium:isPublic';
export const AUTH_THROTTLED = 'atrium:authThrottled';
export const SESSION_ONLY = 'atrium:sessionOnly';
export const REQUIRED_SCOPE = 'atrium:requiredScope';
export const VERIFIED_EMAIL = 'atrium:verifiedEmail';
export const IDENTIFIES = 'atrium:identifies';

/** The route needs no authentication (the global guard lets it through). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/**
 * The route spends the stricter per-IP auth budget (AUTH_THROTTLE_LIMIT per AUTH_THROTTLE_TTL,
 * one budget across every such route): credential and account-mail routes, where guessing or
 * flooding is the risk. Reading one's own account (/auth/me, sessions) does not.
 */
export const AuthThrottled = (): MethodDecorator & ClassDecorator => SetMetadata(AUTH_THROTTLED, true);

/** Whether the handler or its controller is `@AuthThrottled()` (read by the `auth` throttler). */
export function isAuthThrottled(context: ExecutionContext): boolean {
  return (
    Reflect.getMetadata(AUTH_THROTTLED, context.getHandler()) === true ||
    Reflect.getMetadata(AUTH_THROTTLED, context.getClass()) === true
  );
}

/** Account security (tokens, sessions, passwords, 2FA): a signed-in session only, never a personal access token. */
export const SessionOnly = (): MethodDecorator & ClassDecorator => SetMetadata(SESSION_ONLY, true);

/** A personal access token needs this scope here (sessions have every scope of their user). */
export const RequireScope = (scope: PatScope): MethodDecorator & ClassDecorator => SetMetadata(REQUIRED_SCOPE, scope);

/** Unverified accounts get 403 `EMAIL_NOT_VERIFIED` here. */
export const RequireVerifiedEmail = (): MethodDecorator & ClassDecorator => SetMetadata(VERIFIED_EMAIL, true);

/**
 * On a public route: a caller who sends a credential is identified (an invalid one is refused
 * with 401, never silently ignored) and the route may answer them differently (members-only
 * posts, their own drafts). Read the caller with `@OptionalUser()`.
 */
export const Identifies = (): MethodDecorator & ClassDecorator => SetMetadata(IDENTIFIES, true);

/** The caller of an `@Identifies()` public route, or null for an anonymous one. */
export const OptionalUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthUser | null =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().user ?? null,
);

/** The authenticated user of the request (routes behind the global guard). */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthUser => {
  const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
  if (!user) throw new Error('CurrentUser used on a public route');
  return user;
});
