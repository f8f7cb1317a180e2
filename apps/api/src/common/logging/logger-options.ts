import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import { REQUEST_ID_HEADER } from '@atrium/contracts';
import type { AppConfig } from '../../config/app-config';

/** Set on the raw request by the Fastify `onRequest` hook, so access logs carry the route template. */
export const ROUTE_TEMPLATE = Symbol('atrium.routeTemplate');
type RawRequest = IncomingMessage & { [ROUTE_TEMPLATE]?: string };

/**
 * Secrets never reach a log line: credentials in headers, and any password or token field in a
 * logged object (`err`, bodies a caller chooses to log) at the first three levels of nesting.
 */
export const REDACT_PATHS = [
  ...['authorization', 'Authorization', 'cookie', 'Cookie', '["x-api-key"]', '["set-cookie"]'].flatMap((header) => {
    const key = header.startsWith('[') ? header : `.${header}`;
    return [`req.headers${key}`, `res.headers${key}`, `headers${key}`, `*.headers${key}`, `*.*.headers${key}`];
  }),
  ...[
    'password',
    'passwordConfirmation',
    'currentPassword',
    'newPassword',
    'passwordHash',
    'token',
    'accessToken',
    'access_token',
    'refreshToken',
    'refresh_token',
    'idToken',
    'resetToken',
    'verificationToken',
    'apiKey',
    'totpCode',
    'secret',
    'recoveryCodes',
  ].flatMap((field) => [field, `*.${field}`, `*.*.${field}`, `*.*.*.${field}`]),
];

/** Query parameters that carry one-use secrets (links in mails): their values never reach the access log. */
const SECRET_QUERY_PARAMS = /([?&](?:token|code|key|secret|password|access_token|refresh_token)=)[^&#]*/gi;

export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY_PARAMS, '$1[REDACTED]');
}

export function buildLoggerOptions(config: AppConfig): Params {
  return {
    // Probes are polled every few seconds; logging each would drown real traffic.
    exclude: ['health', 'readiness', 'metrics'].map((path) => ({ path, method: RequestMethod.ALL })),
    pinoHttp: {
      level: config.logLevel,
      base: { service: config.serviceName, version: config.version },
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      // Fastify's genReqId already chose the id (client's if sane) and wrote it back to the header.
      genReqId: (req) => String(req.headers[REQUEST_ID_HEADER]),
      customAttributeKeys: { responseTime: 'durationMs' },
      customProps: (req) => ({ requestId: req.id }),
      // Read when the response is done: the route is known by then, also for errors thrown before the handler.
      customSuccessObject: (req, _res, value: object) => ({
        ...value,
        route: (req as RawRequest)[ROUTE_TEMPLATE] ?? null,
      }),
      customErrorObject: (req, _res, _err, value: object) => ({
        ...value,
        route: (req as RawRequest)[ROUTE_TEMPLATE] ?? null,
      }),
      customLogLevel: (_req, res: ServerResponse, err) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      serializers: {
        // Headers are left out on purpose (credentials, cookies); the redaction above is the second line.
        req: (req: { method: string; url: string; headers: Record<string, string | undefined> }) => ({
          method: req.method,
          url: redactUrl(req.url),
          userAgent: req.headers['user-agent'],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  };
}
