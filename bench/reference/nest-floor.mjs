// The reference's routes served through NestJS's router with nothing else (`npm run bench -- --floor`):
// the same handlers as server.mjs, each the one method of a bare Nest route — no guard, pipe,
// interceptor, hook or plugin — on Nest's Fastify adapter as Atrium configures it (no middleware
// engine, Fastify's own JSON parser). What a route costs on this stack when only the framework is
// added: the floor below which no tuning inside a NestJS application can bring Atrium's routes.
import 'reflect-metadata';
import { Controller, Get, HttpCode, Module, Post, Req, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';

const DECORATORS = { GET: Get, POST: Post };

/**
 * A Nest application with one route per `[method, url, handler]`, where `handler(request, reply)` is a
 * Fastify handler: it answers by returning the body or by sending the reply itself. `@Res()` hands
 * the answer to the handler (Nest sends nothing after it), so what Nest adds is its router, its
 * execution context and its argument resolution, and nothing of Atrium.
 */
export async function nestFloor(routes, fastifyOptions) {
  class FloorController {}
  for (const [index, [method, url, handler]] of routes.entries()) {
    const name = `route${index}`;
    FloorController.prototype[name] = async function (request, reply) {
      const body = await handler(request, reply);
      if (!reply.sent) await reply.send(body);
    };
    const route = DECORATORS[method];
    if (route === undefined) throw new Error(`nest-floor: no decorator for ${method} ${url}`);
    const descriptor = () => Object.getOwnPropertyDescriptor(FloorController.prototype, name);
    // Fastify's default status, as the reference answers: a handler sets another itself (201 on a write).
    HttpCode(200)(FloorController.prototype, name, descriptor());
    Req()(FloorController.prototype, name, 0);
    Res()(FloorController.prototype, name, 1);
    route(url)(FloorController.prototype, name, descriptor());
  }
  Controller()(FloorController);
  class FloorModule {}
  Module({ controllers: [FloorController] })(FloorModule);
  const app = await NestFactory.create(FloorModule, new FastifyAdapter({ ...fastifyOptions, skipMiddie: true }), {
    logger: false,
    bodyParser: false,
    abortOnError: false,
  });
  return {
    listen: ({ port, host }) => app.listen(port, host),
    close: () => app.close(),
  };
}
