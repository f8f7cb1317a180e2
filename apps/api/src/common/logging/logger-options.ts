import type { Params } from 'nestjs-pino';
import type { LoggerOptions } from 'pino';
import type { AppConfig } from '../../config/app-config';
import { requestContext } from '../context/request-context';

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

/**
 * The one pino logger of a process (through nestjs-pino's `Logger`, which Nest's `Logger` writes
 * to): JSON lines with the service and version, secrets redacted, and, inside a request, its id
 * (from the request context, added only when a line is written).
 *
 * nestjs-pino's per-request middleware is not used (`forRoutes: []`): it ran pino-http, which built
 * two child loggers per request and serialized and redacted their bindings, even when the line they
 * were for was below `LOG_LEVEL` (about 15 % of a short request's CPU). The access log is a Fastify
 * hook instead (access-log.ts), which does nothing for a line that would not be written
 * (docs/DECISIONS.md, "Logging without a logger per request").
 */
export function buildLoggerOptions(config: AppConfig): Params {
  return { pinoHttp: pinoOptions(config), forRoutes: [] };
}

export function pinoOptions(config: Pick<AppConfig, 'logLevel' | 'serviceName' | 'version'>): LoggerOptions {
  return {
    level: config.logLevel,
    base: { service: config.serviceName, version: config.version },
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    // A line written while a request is served carries its id (the line's own `requestId` wins).
    mixin: () => {
      const requestId = requestContext.current()?.requestId;
      return requestId === undefined ? {} : { requestId };
    },
    serializers: {
      // Headers are left out on purpose (credentials, cookies); the redaction above is the second line.
      req: (req: { method: string; url: string; headers: Record<string, string | undefined> }) => ({
        method: req.method,
        url: redactUrl(req.url),
        userAgent: req.headers['user-agent'],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
}
