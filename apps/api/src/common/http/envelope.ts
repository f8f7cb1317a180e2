import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RAW_RESPONSE } from '../decorators/raw-response.decorator';
import { CursorPage, type CursorMetaDto } from './list';
import { jsonTextOf } from './json-text';
import type { RouteMarker } from './nest-routes';
import { SANE_REQUEST_ID } from './request-id';
import { Paginated, type PaginationMetaDto } from './pagination';

export interface SuccessEnvelope<T> {
  status: 'success';
  data: T;
  meta: { requestId: string; timestamp: string; pagination?: PaginationMetaDto; cursor?: CursorMetaDto };
}

/** The key of the route option that says the route's result goes out in the envelope. */
const ENVELOPED = 'atriumEnvelope';

/**
 * A page whose items are JSON text already: a page kept serialized in the public cache is answered
 * with its text put into the envelope as it is, not parsed and serialized again
 * (docs/DECISIONS.md 103). The same JSON as the `Paginated` or `CursorPage` it was made from.
 */
export class SerializedPage {
  private constructor(
    readonly itemsJson: string,
    readonly meta: { pagination: PaginationMetaDto } | { cursor: CursorMetaDto },
  ) {}

  static of(page: Paginated<unknown> | CursorPage<unknown>, itemsJson = JSON.stringify(page.items)): SerializedPage {
    return new SerializedPage(itemsJson, page instanceof Paginated ? { pagination: page.meta } : { cursor: page.meta });
  }
}

/** `envelopeOf`'s envelope as JSON text, with the data's text (and the page's `meta`) spliced in. */
function envelopeText(request: FastifyRequest, dataJson: string, page?: SerializedPage): string {
  // The request id is a UUID or a client's id of `[A-Za-z0-9._:-]` (`requestIdFor`), the timestamp
  // ISO 8601: JSON strings as they are, nothing to escape (an id made elsewhere is escaped).
  const id = SANE_REQUEST_ID.test(request.id) ? request.id : JSON.stringify(request.id).slice(1, -1);
  const head = `{"status":"success","data":${dataJson},"meta":{"requestId":"${id}","timestamp":"${new Date().toISOString()}"`;
  return page === undefined ? `${head}}}` : `${head},${JSON.stringify(page.meta).slice(1)}}`;
}

/** The serializer of a reply whose payload the envelope made JSON text already. */
const asIs = (payload: unknown): string => payload as string;

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
    if (enveloped !== true || reply.statusCode < 200 || reply.statusCode >= 300) return done(null, payload);
    // Text already, or data that never changes and is serialized once (a post from the public
    // cache, docs/DECISIONS.md 127): spliced in as text. Fastify's serializer would quote a string.
    const page = payload instanceof SerializedPage ? payload : undefined;
    const text = page ? page.itemsJson : jsonTextOf(payload);
    if (text === undefined) return done(null, envelopeOf(request, payload));
    void reply.serializer(asIs);
    done(null, envelopeText(request, text, page));
  });
}
