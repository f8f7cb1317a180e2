import type { INestApplication } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
// Where `@RouteConfig()` puts a handler's Fastify route options (`request.routeOptions.config`).
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RAW_RESPONSE } from '../decorators/raw-response.decorator';
import { CursorPage, type CursorMetaDto } from './list';
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
 * Each Nest route is marked here, before `app.init()` registers it, with a route option saying
 * whether it is enveloped (Nest's adapter hands a handler's `@RouteConfig()` metadata to Fastify);
 * routes that are not Nest's (the SPA, the docs) have no such option and are left alone. Only a
 * success (2xx) is wrapped: errors and redirects carry envelopes of their own, a 304 has no body.
 */
export function envelopeNestRoutes(app: INestApplication, fastify: FastifyInstance): void {
  const scanner = new MetadataScanner();
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      if (typeof metatype !== 'function') continue;
      const prototype = metatype.prototype as Record<string, unknown>;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name] as object;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const raw: unknown = Reflect.getMetadata(RAW_RESPONSE, handler) ?? Reflect.getMetadata(RAW_RESPONSE, metatype);
        const config = (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) ?? {}) as object;
        Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...config, [ENVELOPED]: raw !== true }, handler);
      }
    }
  }

  fastify.addHook('preSerialization', (request, reply, payload, done) => {
    const enveloped = (request.routeOptions.config as { [ENVELOPED]?: boolean } | undefined)?.[ENVELOPED];
    if (enveloped !== true || reply.statusCode < 200 || reply.statusCode >= 300) done(null, payload);
    else done(null, envelopeOf(request, payload));
  });
}
