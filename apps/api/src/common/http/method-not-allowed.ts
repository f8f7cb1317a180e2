import type { FastifyInstance } from 'fastify';
import { ErrorCode } from '@atrium/contracts';
import { ApiException } from './api.exception';

/**
 * `405 Method Not Allowed` with an `Allow` header for a path that exists under other methods
 * (`DELETE /api/v1/auth/login`), where Fastify's router alone answers 404 — so a client learns
 * that the path is right and the method is not. Routes are recorded as they are registered;
 * wildcard routes (the SPA fallback, CORS preflights) name no path and are left out.
 */
export function answerMethodNotAllowed(
  fastify: FastifyInstance,
  isFallback: (url: string | undefined) => boolean,
): void {
  const routes: Array<{ pattern: RegExp; methods: Set<string> }> = [];
  fastify.addHook('onRoute', (route) => {
    if (route.url.includes('*')) return;
    const source = `^${route.url
      .split('/')
      .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/')}/?$`;
    let entry = routes.find((candidate) => candidate.pattern.source === source);
    if (!entry) routes.push((entry = { pattern: new RegExp(source), methods: new Set() }));
    for (const method of [route.method].flat()) entry.methods.add(method);
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!request.is404 && !isFallback(request.routeOptions.url)) return done();
    const path = request.url.split('?')[0];
    const allowed = new Set<string>();
    for (const route of routes) if (route.pattern.test(path)) route.methods.forEach((method) => allowed.add(method));
    if (allowed.size === 0 || allowed.has(request.method)) return done();
    if (allowed.has('GET')) allowed.add('HEAD');
    const list = [...allowed].sort().join(', ');
    void reply.header('Allow', list);
    done(new ApiException(405, ErrorCode.METHOD_NOT_ALLOWED, `${request.method} is not allowed here; use ${list}`));
  });
}
