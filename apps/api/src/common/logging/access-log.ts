import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Level, Logger } from 'pino';

/** The level of a request's access line: errors for 5xx, warnings for 4xx, the rest info. */
export function accessLogLevel(statusCode: number): Level {
  return statusCode >= 500 ? 'error' : statusCode >= 400 ? 'warn' : 'info';
}

export interface AccessLogOptions {
  /** Route templates without an access line (the probes, polled every few seconds). */
  skip: ReadonlySet<string>;
  /** The route template a request is reported under (undefined: none, e.g. the SPA's fallback). */
  routeOf: (request: FastifyRequest) => string | undefined;
}

/**
 * One line per request, written when the response is done: method, URL (one-use secrets of mail
 * links hidden), user agent, status, duration, route template and request id. A request whose line is below the logger's level costs one comparison: no child logger,
 * no serialization (at `LOG_LEVEL=warn` only 4xx and 5xx lines are built).
 */
export function registerAccessLog(fastify: FastifyInstance, logger: Logger, options: AccessLogOptions): void {
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const statusCode = reply.statusCode;
    const level = accessLogLevel(statusCode);
    if (logger.isLevelEnabled(level)) {
      const route = options.routeOf(request);
      if (route === undefined || !options.skip.has(route)) {
        logger[level](
          {
            requestId: request.id,
            // Through the logger's serializers (logger-options.ts): method, URL without one-use
            // secrets, user agent; the status. Never the headers.
            req: request.raw,
            res: reply.raw,
            durationMs: Math.round(reply.elapsedTime),
            route: route ?? null,
          },
          statusCode >= 500 ? 'request errored' : 'request completed',
        );
      }
    }
    done();
  });
}
