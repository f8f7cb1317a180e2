import type { INestApplication, Type } from '@nestjs/common';
import { CUSTOM_ROUTE_ARGS_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
// Where `@RouteConfig()` puts a handler's Fastify route options (`request.routeOptions.config`).
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants.js';

/** What one concern puts in a Nest route's Fastify options, from the handler's and its controller's metadata. */
export type RouteMarker = (handler: object, controller: object) => Record<string, unknown>;

/**
 * Puts options on each Nest route for Fastify hooks to read per request (`request.routeOptions.config`),
 * so that what a route needs is decided once, at start, and done by a hook instead of a Nest
 * interceptor (an rxjs pipeline per request; docs/DECISIONS.md 96 and 101). Runs before
 * `app.init()` registers the routes: Nest's adapter hands a handler's `@RouteConfig()` metadata to
 * Fastify, and each marker's keys are merged into it. Routes that are not Nest's (the SPA, the
 * docs) get none of these options.
 */
export function markNestRoutes(app: INestApplication, ...markers: RouteMarker[]): void {
  for (const { handler, controller } of nestRoutes(app)) {
    let config = (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) ?? {}) as Record<string, unknown>;
    for (const mark of markers) config = { ...config, ...mark(handler, controller) };
    Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, config, handler);
  }
}

/** A route handler of a Nest controller: the controller class, the method's name and the method. */
export interface NestRoute {
  controller: Type<unknown>;
  method: string;
  handler: object;
}

/** Every route handler of every controller the app has mounted. */
export function* nestRoutes(app: INestApplication): Generator<NestRoute> {
  const scanner = new MetadataScanner();
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      if (typeof metatype !== 'function') continue;
      const prototype = metatype.prototype as Record<string, unknown>;
      for (const method of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[method] as object;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        yield { controller: metatype as Type<unknown>, method, handler };
      }
    }
  }
}

/** One decorated parameter of a route handler, as Nest's decorators recorded it. */
export interface RouteParameter {
  /** Nest's kind of parameter (`@Body()`, `@Param()`, …); `custom` for `createParamDecorator`'s. */
  type: RouteParamtypes | 'custom';
  index: number;
  /** The decorator's argument: a property name for `@Query('q')`/`@Param('id')`. */
  data?: unknown;
  pipes: unknown[];
  /** The parameter's declared type (`design:paramtypes`). */
  metatype?: Type<unknown>;
}

/** The decorated parameters of `controller.method` (where Nest keeps them: `ROUTE_ARGS_METADATA`). */
export function routeParameters(controller: Type<unknown>, method: string): RouteParameter[] {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<
    string,
    { index: number; data?: unknown; pipes?: unknown[] }
  >;
  const types = (Reflect.getMetadata('design:paramtypes', controller.prototype as object, method) ?? []) as Array<
    Type<unknown> | undefined
  >;
  return Object.entries(args).map(([key, arg]) => ({
    type: key.includes(CUSTOM_ROUTE_ARGS_METADATA) ? 'custom' : (Number(key.split(':')[0]) as RouteParamtypes),
    index: arg.index,
    data: arg.data,
    pipes: arg.pipes ?? [],
    metatype: types[arg.index],
  }));
}
