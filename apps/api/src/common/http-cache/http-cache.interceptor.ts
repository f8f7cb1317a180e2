import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';
import { ifNoneMatchMatches, weakEtagOf } from './etag';

/**
 * `public`: the same for everyone. `private`: depends on who asks (never kept by shared caches).
 * `caller`: public for requests without credentials, private for those with them (`Vary: Authorization`).
 */
export type HttpCacheVisibility = 'public' | 'private' | 'caller';

export interface HttpCacheOptions {
  /**
   * How long a client (and, when public, a shared cache) may reuse a response without asking.
   * 0 (the default) revalidates every time — cheap with the ETag, and a change shows at once.
   */
  maxAgeSeconds?: number;
  visibility: HttpCacheVisibility;
  /** The entity tag of the data (default: a weak tag of all of it). */
  etag?: (data: never) => string;
}

const cacheControl = (maxAgeSeconds: number, visibility: 'public' | 'private'): string =>
  `${visibility}, max-age=${maxAgeSeconds}, must-revalidate`;

/** The `Cache-Control` a route sends, in words for the docs. */
export const cacheControlOf = ({ maxAgeSeconds = 0, visibility }: HttpCacheOptions): string =>
  visibility === 'caller'
    ? `${cacheControl(maxAgeSeconds, 'public')} without credentials, ${cacheControl(maxAgeSeconds, 'private')} with them`
    : cacheControl(maxAgeSeconds, visibility);

/**
 * Conditional GETs for one route (applied by `@HttpCache`): a weak ETag of the handler's data,
 * `Cache-Control`, and `304 Not Modified` without a body when `If-None-Match` matches.
 *
 * It sees the handler's data before the envelope (whose request id and timestamp change on every
 * response) is put around it when the reply is serialized (common/http/envelope.ts). For a 304 this
 * reply's `send` is replaced so that what goes out is the status and headers alone.
 */
export class HttpCacheInterceptor implements NestInterceptor {
  private readonly etagOf: (data: unknown) => string;

  constructor(private readonly options: HttpCacheOptions) {
    this.etagOf = (options.etag as ((data: unknown) => string) | undefined) ?? weakEtagOf;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    if (request.method !== 'GET' && request.method !== 'HEAD') return next.handle();
    return next.handle().pipe(
      map((data: unknown) => {
        if (reply.statusCode !== 200) return data;
        const etag = this.etagOf(data);
        const { visibility, maxAgeSeconds = 0 } = this.options;
        const scope = visibility === 'caller' ? (request.headers.authorization ? 'private' : 'public') : visibility;
        void reply.header('etag', etag).header('cache-control', cacheControl(maxAgeSeconds, scope));
        if (visibility !== 'public') appendVary(reply, 'Authorization');
        if (ifNoneMatchMatches(request.headers['if-none-match'], etag)) sendNotModified(reply);
        return data;
      }),
    );
  }
}

function appendVary(reply: FastifyReply, field: string): void {
  const current = reply.getHeader('vary');
  const fields = typeof current === 'string' && current !== '' ? current.split(',').map((f) => f.trim()) : [];
  if (!fields.some((f) => f.toLowerCase() === field.toLowerCase() || f === '*')) fields.push(field);
  void reply.header('vary', fields.join(', '));
}

/** The next `send` of this reply (Nest's, with the route's data) answers 304 with no body instead. */
function sendNotModified(reply: FastifyReply): void {
  const send = reply.send.bind(reply);
  reply.send = () => {
    void reply.code(304);
    reply.removeHeader('content-type');
    return send();
  };
}
