import { applyDecorators, HttpCode, type Type } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiOperation } from '@nestjs/swagger';
import type { PatScope, Permission } from '@atrium/contracts';
import { Identifies, Public, RequireScope, RequireVerifiedEmail, SessionOnly } from '../auth/auth.decorators';
import { RequirePermissions } from '../auth/require-permissions.decorator';
import { ApiErrorResponses, ApiSuccessResponse } from '../dto/envelope.dto';

/**
 * Who may call a route:
 * - `public`: anyone;
 * - `signed-in`: a session or a personal access token (held to `scope` when given);
 * - `session`: a signed-in session only — account security, never a personal access token;
 * - `{ permissions }`: a caller holding every listed permission (a token only within its scopes).
 */
export type RouteAccess = 'public' | 'signed-in' | 'session' | { permissions: Permission[] };

export interface RouteOptions {
  summary: string;
  description?: string;
  access: RouteAccess;
  /** A personal access token needs this scope (sessions hold every scope of their user). */
  scope?: PatScope;
  /** Unverified accounts get 403 EMAIL_NOT_VERIFIED. */
  verifiedEmail?: boolean;
  /**
   * Public routes only: a caller who sends a credential is identified (`@OptionalUser()`); an
   * invalid one gets 401. The spec lists the bearer scheme as optional (`security: [{}, {bearer: []}]`).
   */
  identifies?: boolean;
  /** The success body (inside the envelope); omitted for routes answering something else. */
  response?: { type: Type<unknown>; status?: number; description?: string; array?: boolean };
  /** Error statuses the use case itself can answer (400, 404, 409, 423 …); access errors are derived. */
  errors?: number[];
}

/**
 * One decorator per route: summary, access rule, success shape and every error status it can
 * answer — derived from the access rule (401 for signed-in routes, 403 where a permission, scope,
 * session or verified address is required), plus 400, 413, 415, 429, 500 and 503 everywhere — so the documentation
 * cannot drift from the guard.
 */
export function Route(options: RouteOptions): MethodDecorator {
  const { access } = options;
  const decorators: Array<MethodDecorator | ClassDecorator> = [
    ApiOperation({ summary: options.summary, ...(options.description && { description: options.description }) }),
  ];
  // Any request can be malformed (a NUL byte in the URL, a body nested too deep: 400), too large
  // (413) or not JSON (415): the body parser answers before any route does.
  const statuses = new Set([400, 413, 415, ...(options.errors ?? [])]);
  // The access rule, machine-readable for clients and for the attack suite that reads the spec.
  decorators.push(ApiExtension('x-access', typeof access === 'object' ? 'permissions' : access));
  if (typeof access === 'object') decorators.push(ApiExtension('x-permissions', access.permissions));
  if (options.scope) decorators.push(ApiExtension('x-token-scope', options.scope));
  if (access === 'public') {
    decorators.push(Public());
    if (options.identifies) {
      decorators.push(Identifies(), ApiBearerAuth(), ApiExtension('x-identifies', true));
      statuses.add(401);
      if (options.scope) {
        decorators.push(RequireScope(options.scope));
        statuses.add(403);
      }
    }
  } else {
    decorators.push(ApiBearerAuth());
    statuses.add(401);
    if (access === 'session') decorators.push(SessionOnly());
    if (typeof access === 'object') decorators.push(RequirePermissions(...access.permissions));
    if (options.scope) decorators.push(RequireScope(options.scope));
    if (options.verifiedEmail) decorators.push(RequireVerifiedEmail());
    if (access !== 'signed-in' || options.scope || options.verifiedEmail) statuses.add(403);
  }
  statuses.add(429);
  statuses.add(500);
  // Every route needs the database: during an outage it answers 503 with Retry-After.
  statuses.add(503);
  if (options.response) {
    const status = options.response.status ?? 200;
    decorators.push(
      HttpCode(status),
      ApiSuccessResponse(options.response.type, status, options.response.description ?? 'Success', {
        array: options.response.array,
      }),
    );
  }
  decorators.push(ApiErrorResponses(...[...statuses].sort((a, b) => a - b)));
  return applyDecorators(...decorators);
}
