import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { map, Observable } from 'rxjs';
import { RAW_RESPONSE } from '../decorators/raw-response.decorator';
import { CursorPage, type CursorMetaDto } from '../http/list';
import { Paginated, type PaginationMetaDto } from '../http/pagination';

export interface SuccessEnvelope<T> {
  status: 'success';
  data: T;
  meta: { requestId: string; timestamp: string; pagination?: PaginationMetaDto; cursor?: CursorMetaDto };
}

/**
 * Wraps every route's result in `{ status: "success", data, meta }` unless the route
 * is `@RawResponse()`; a `Paginated` result puts its counts in `meta.pagination`, a `CursorPage`
 * its next cursor in `meta.cursor`.
 */
@Injectable()
export class EnvelopeInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const raw = this.reflector.getAllAndOverride<boolean | undefined>(RAW_RESPONSE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (raw || context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    return next.handle().pipe(
      map((data: unknown): SuccessEnvelope<unknown> => {
        const meta = { requestId: request.id, timestamp: new Date().toISOString() };
        if (data instanceof Paginated)
          return { status: 'success', data: data.items, meta: { ...meta, pagination: data.meta } };
        if (data instanceof CursorPage)
          return { status: 'success', data: data.items, meta: { ...meta, cursor: data.meta } };
        return { status: 'success', data: data ?? null, meta };
      }),
    );
  }
}
