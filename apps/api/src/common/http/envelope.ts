import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RAW_RESPONSE } from '../decorators/raw-response.decorator';
import { CursorPage, type CursorMetaDto } from './list';
import type { RouteMarker } from './nest-routes';
import { Paginated, type PaginationMetaDto } from './pagination';

export interface SuccessEnvelope<T> {
  status: 'success';
  data: T;
  meta: { requestId: string; timestamp: string; pagination?: PaginationMetaDto; cursor?: CursorMetaDto };
}

/** The key of the route option that says the route's result goes out in the envelope. */
const ENVELOPED = 'atriumEnvelope';

/** The success envelope of a route's result: a `Paginated` puts its counts in `meta.pagination`, a `CursorPage` its next cursor in `meta.cursor`. */
export function envelopeOf(request: FastifyRequest, data: unknown): SuccessEnvelope<unknown> {
  const meta = { requestId: request.id, timestamp: new Date().toISOString() };
  if (data instanceof Paginated)
    return { status: 'success', data: data.items, meta: { ...meta, pagination: data.meta } };
  if (data instanceof CursorPage) return { status: 'success', data: data.items, meta: { ...meta, cursor: data.meta } };
  return { status: 'success', data: data ?? null, meta };
}

/**
 * Every route's result in `{ status: "success", data, meta }` unless the route is `@RawResponse()`
 * (docs/DECISIONS.md 96). Put on by a Fastify `preSerialization` hook, not by a Nest interceptor:
 * a route with no interceptor goes through no rxjs pipeline at all, and this was the interceptor
 * every route had.
 *
 * The marker says, for each Nest route, whether it is enveloped (`markNestRoutes`); routes that are
 * not Nest's (the SPA, the docs) have no such option and are left alone. Only a success (2xx) is
 * wrapped: errors and redirects carry envelopes of their own, a 304 has no body.
 */
export const envelopeMarker: RouteMarker = (handler, controller) => {
  const raw: unknown = Reflect.getMetadata(RAW_RESPONSE, handler) ?? Reflect.getMetadata(RAW_RESPONSE, controller);
  return { [ENVELOPED]: raw !== true };
};

/** Registers the envelope's hook (after any `preSerialization` hook that must see the route's data as it is). */
export function envelopeNestRoutes(fastify: FastifyInstance): void {
  fastify.addHook('preSerialization', (request, reply, payload, done) => {
    const enveloped = (request.routeOptions.config as { [ENVELOPED]?: boolean } | undefined)?.[ENVELOPED];
    if (enveloped !== true || reply.statusCode < 200 || reply.statusCode >= 300) done(null, payload);
    else done(null, envelopeOf(request, payload));
  });
}
