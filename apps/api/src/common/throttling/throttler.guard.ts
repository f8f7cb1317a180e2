import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { ErrorCode } from '@atrium/contracts';
import { ApiException } from '../http/api.exception';

/** The stricter per-IP budget shared by every `@AuthThrottled()` route. */
export const AUTH_THROTTLER = 'auth';

/**
 * The throttler guard, adjusted so that limits behave as documented:
 * - the `auth` limit is ONE budget per client IP across all auth routes (the library keys a
 *   counter per route, which would give an IP the limit on every auth route);
 * - a 429 carries a plain `Retry-After` and `X-RateLimit-*` headers describing the limit that was
 *   hit (the library names them after non-default throttlers, which no client reads);
 * - the 429 body is our error envelope, without the library's name.
 */
@Injectable()
export class AtriumThrottlerGuard extends ThrottlerGuard {
  protected override generateKey(context: ExecutionContext, suffix: string, name: string): string {
    return name === AUTH_THROTTLER ? `${AUTH_THROTTLER}:${suffix}` : super.generateKey(context, suffix, name);
  }

  protected override throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const retryAfter = String(Math.max(detail.timeToBlockExpire, 1));
    void reply.headers({
      'Retry-After': retryAfter,
      'X-RateLimit-Limit': String(detail.limit),
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': retryAfter,
    });
    return Promise.reject(
      new ApiException(429, ErrorCode.RATE_LIMITED, `Too many requests; retry in ${retryAfter} s`, undefined, {
        'Retry-After': retryAfter,
      }),
    );
  }
}
