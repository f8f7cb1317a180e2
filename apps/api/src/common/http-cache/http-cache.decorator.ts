import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { cacheControlOf, conditionalCache, etagOnly, HTTP_CACHE, type HttpCacheOptions } from './http-cache.hooks';

/**
 * HTTP caching for a GET route: an `ETag` of the response data, `Cache-Control`, and `304 Not
 * Modified` (no body) for a matching `If-None-Match` — documented in the OpenAPI spec. For data
 * that changes when someone acts (a profile), keep `maxAgeSeconds` at 0 so every reuse is
 * revalidated and a change is visible at once.
 *
 * Put it on routes whose response depends only on what the ETag covers (the data): it is computed
 * per request, so it saves bandwidth and the client's work, not the server's. Done by Fastify hooks
 * (`registerHttpCache`), not by an interceptor.
 */
export function HttpCache(options: HttpCacheOptions): MethodDecorator {
  const cacheControl = cacheControlOf(options);
  const headers = {
    ETag: {
      description: 'A weak tag of the response data; send it back in `If-None-Match` to revalidate',
      schema: { type: 'string' },
    },
    'Cache-Control': { description: cacheControl, schema: { type: 'string' } },
  };
  return applyDecorators(
    SetMetadata(HTTP_CACHE, conditionalCache(options)),
    ApiHeader({
      name: 'If-None-Match',
      required: false,
      description: 'ETags of responses you hold (or `*`): 304 without a body when the data is still the same',
    }),
    // Merged into the route's own 200 (whichever decorator declares its body).
    ApiResponse({ status: 200, headers }),
    ApiResponse({
      status: 304,
      description: 'Not Modified: the data is still what your `If-None-Match` names; no body',
      headers,
    }),
  );
}

/**
 * A write that answers with the resource sends its `ETag` too (the next `If-Match`, without reading
 * it again). Only the header: document it with the route's own response.
 */
export const SendsEtag = <T>(etagOf: (data: T) => string): MethodDecorator =>
  SetMetadata(HTTP_CACHE, etagOnly(etagOf as (data: never) => string));
