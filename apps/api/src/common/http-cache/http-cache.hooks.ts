import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteMarker } from '../http/nest-routes';
import { ifNoneMatchMatches, rememberedEtag, weakEtagOf } from './etag';

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

/** Where `@HttpCache()` and `@SendsEtag()` keep what they ask for, on the handler. */
export const HTTP_CACHE = 'atrium:http-cache';
/** The key of the route option the hooks read (`request.routeOptions.config`). */
const ROUTE_OPTION = 'atriumHttpCache';

/**
 * What a route's answer gets: its data's `ETag` always (on a success), and when `conditional`,
 * `Cache-Control` and `304 Not Modified` for a matching `If-None-Match` (GET and HEAD, on a 200).
 */
export interface RouteHttpCache {
  etagOf: (data: unknown) => string;
  conditional: boolean;
  /** `Cache-Control` for callers without credentials, and with them (the same unless `caller`). */
  anonymous: string;
  identified: string;
  varyAuthorization: boolean;
}

/** What `@HttpCache(options)` puts on a handler. */
export function conditionalCache(options: HttpCacheOptions): RouteHttpCache {
  const { visibility, maxAgeSeconds = 0 } = options;
  return {
    // Looked up when called (not captured here), as every other caller of the module's function does.
    etagOf: (options.etag as ((data: unknown) => string) | undefined) ?? ((data) => weakEtagOf(data)),
    conditional: true,
    anonymous: cacheControl(maxAgeSeconds, visibility === 'private' ? 'private' : 'public'),
    identified: cacheControl(maxAgeSeconds, visibility === 'public' ? 'public' : 'private'),
    varyAuthorization: visibility !== 'public',
  };
}

/** What `@SendsEtag(etagOf)` puts on a handler: the tag of what a write answers with, nothing more. */
export const etagOnly = (etagOf: (data: never) => string): RouteHttpCache => ({
  etagOf: etagOf as (data: unknown) => string,
  conditional: false,
  anonymous: '',
  identified: '',
  varyAuthorization: false,
});

/** Gives each Nest route with `@HttpCache` or `@SendsEtag` its option (see `markNestRoutes`). */
export const httpCacheMarker: RouteMarker = (handler) => {
  const cache = Reflect.getMetadata(HTTP_CACHE, handler) as RouteHttpCache | undefined;
  return cache === undefined ? {} : { [ROUTE_OPTION]: cache };
};

const routeCacheOf = (request: FastifyRequest): RouteHttpCache | undefined =>
  (request.routeOptions.config as { [ROUTE_OPTION]?: RouteHttpCache } | undefined)?.[ROUTE_OPTION];

/**
 * Conditional GETs by Fastify hooks (docs/DECISIONS.md 101): a weak ETag of the handler's data,
 * `Cache-Control`, and `304 Not Modified` without a body when `If-None-Match` matches. They were
 * a Nest interceptor, and an interceptor runs every request of its route through an rxjs pipeline
 * (0.66 → 0.46 ms of CPU a profile request, measured).
 *
 * The tag is of the data, not of the bytes: the envelope's request id and timestamp differ in every
 * response. So it is taken in a `preSerialization` hook registered before the envelope's (hooks run
 * in order), which sees the handler's object as it returned it; a route that answers with a string
 * (the feeds) skips `preSerialization`, and its tag is taken from the string in `onSend`. A 304 has
 * its status set there, is not serialized, and its body is dropped in `onSend`.
 */
export function registerHttpCache(fastify: FastifyInstance): void {
  const tagged = new WeakSet<FastifyReply>();
  const tag = (request: FastifyRequest, reply: FastifyReply, cache: RouteHttpCache, data: unknown): void => {
    tagged.add(reply);
    if (!cache.conditional) {
      if (reply.statusCode >= 200 && reply.statusCode < 300) {
        void reply.header('etag', rememberedEtag(data) ?? cache.etagOf(data));
      }
      return;
    }
    if (reply.statusCode !== 200 || (request.method !== 'GET' && request.method !== 'HEAD')) return;
    const etag = rememberedEtag(data) ?? cache.etagOf(data);
    void reply
      .header('etag', etag)
      .header('cache-control', request.headers.authorization ? cache.identified : cache.anonymous);
    if (cache.varyAuthorization) appendVary(reply, 'Authorization');
    if (ifNoneMatchMatches(request.headers['if-none-match'], etag)) void reply.code(304);
  };

  fastify.addHook('preSerialization', (request, reply, payload, done) => {
    const cache = routeCacheOf(request);
    if (cache === undefined) return done(null, payload);
    tag(request, reply, cache, payload);
    // A 304 sends no body: nothing worth serializing (its `null` is dropped in onSend).
    done(null, reply.statusCode === 304 ? null : payload);
  });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const cache = routeCacheOf(request);
    if (cache === undefined) return done(null, payload);
    if (!tagged.has(reply) && typeof payload === 'string') tag(request, reply, cache, payload);
    if (reply.statusCode !== 304) return done(null, payload);
    reply.removeHeader('content-type');
    // No body. Fastify's own onSend hook of a HEAD route, which runs after this one, takes an empty
    // string (and says its length, 0) but fails on null.
    done(null, request.method === 'HEAD' ? '' : null);
  });
}

function appendVary(reply: FastifyReply, field: string): void {
  const current = reply.getHeader('vary');
  const fields = typeof current === 'string' && current !== '' ? current.split(',').map((f) => f.trim()) : [];
  if (!fields.some((f) => f.toLowerCase() === field.toLowerCase() || f === '*')) fields.push(field);
  void reply.header('vary', fields.join(', '));
}
