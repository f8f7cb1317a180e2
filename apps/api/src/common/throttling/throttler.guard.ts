import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';

/**
 * The throttler guard, plus a plain `Retry-After` whichever limit was hit: the library names the
 * header after a non-default throttler (`Retry-After-auth`), which no client knows to read.
 */
@Injectable()
export class AtriumThrottlerGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    void reply.header('Retry-After', String(Math.max(detail.timeToBlockExpire, 1)));
    return super.throwThrottlingException(context, detail);
  }
}
