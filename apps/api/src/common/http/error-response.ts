import { HttpException } from '@nestjs/common';
import { ErrorCode, errorCodeForStatus } from '@atrium/contracts';
import { ApiException, ErrorDetail } from './api.exception';

export interface ErrorBody {
  status: 'error';
  error: { code: ErrorCode; message: string; details?: ErrorDetail[] };
  meta: { requestId: string; timestamp: string };
}

export interface ErrorResponse {
  statusCode: number;
  body: ErrorBody;
  headers: Record<string, string>;
  /** True when the error is ours to fix (5xx but a known outage): logged with its stack, its message never sent. */
  unexpected: boolean;
}

/** Errors raised by Fastify itself (body parsing, limits) carry a `FST_*` code and a status. */
interface FastifyError {
  code: string;
  statusCode: number;
  message: string;
}

const isFastifyError = (error: unknown): error is FastifyError =>
  typeof error === 'object' &&
  error !== null &&
  typeof (error as FastifyError).code === 'string' &&
  (error as FastifyError).code.startsWith('FST_') &&
  typeof (error as FastifyError).statusCode === 'number';

const FASTIFY_MESSAGES: Record<string, [ErrorCode, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [ErrorCode.PAYLOAD_TOO_LARGE, 'Request body is larger than the server accepts'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Unsupported Content-Type'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [ErrorCode.BAD_REQUEST, 'Content-Length does not match the body'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [ErrorCode.VALIDATION_ERROR, 'Request body is empty but Content-Type is JSON'],
  FST_ERR_CTP_INVALID_JSON_BODY: [ErrorCode.VALIDATION_ERROR, 'Request body is not valid JSON'],
};

/** Postgres SQLSTATEs that mean "the database cannot serve right now" rather than "this request is wrong". */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovering)
  '57014', // query_canceled: statement_timeout (a frozen or overloaded database)
  '53300', // too_many_connections
  '08000',
  '08001',
  '08003',
  '08004',
  '08006', // connection exceptions
]);
const UNAVAILABLE_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);
const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Query read timeout/i,
  /Client has encountered a connection error/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
];
/** How long clients are asked to wait before retrying a request the database could not serve. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * Whether an error means the database is unreachable, restarting or not answering in time (an
 * outage: 503 with Retry-After, which proxies may retry) rather than a bug (500).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 4; depth += 1) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_NETWORK_CODES.has(code)))
      return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return true;
    current =
      (current as { driverError?: unknown; cause?: unknown }).driverError ?? (current as { cause?: unknown }).cause;
  }
  return false;
}

/** Maps anything thrown while serving a request to the error envelope (docs/API.md, "API conventions"). */
export function toErrorResponse(thrown: unknown, requestId: string): ErrorResponse {
  // Nest wraps Fastify's own errors (body parsing, limits) in an HttpException; judge the original.
  const cause = thrown instanceof HttpException ? thrown.cause : undefined;
  const error = isFastifyError(cause) ? cause : thrown;
  let statusCode = 500;
  let code: ErrorCode = ErrorCode.INTERNAL_ERROR;
  let message = 'An unexpected error occurred';
  let details: ErrorDetail[] | undefined;
  let headers: Record<string, string> = {};

  if (error instanceof ApiException) {
    statusCode = error.getStatus();
    code = error.code;
    message = error.message;
    details = error.details;
    headers = error.headers ?? {};
  } else if (error instanceof HttpException) {
    statusCode = error.getStatus();
    code = errorCodeForStatus(statusCode);
    message = messageOf(error);
    if (statusCode === 404) message = 'The requested resource was not found';
  } else if (isFastifyError(error)) {
    statusCode = error.statusCode;
    const known = FASTIFY_MESSAGES[error.code];
    code = known?.[0] ?? errorCodeForStatus(statusCode);
    message = known?.[1] ?? (statusCode < 500 ? error.message : message);
  } else if (isDatabaseUnavailable(error)) {
    statusCode = 503;
    code = ErrorCode.SERVICE_UNAVAILABLE;
    message = 'The service is briefly unavailable; retry shortly';
    headers = { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) };
  } else if (error instanceof SyntaxError && (error as { statusCode?: number }).statusCode === 400) {
    // Fastify's JSON parser throws a plain SyntaxError tagged with statusCode 400.
    statusCode = 400;
    code = ErrorCode.VALIDATION_ERROR;
    message = 'Request body is not valid JSON';
  }

  // A known outage (503) is reported by readiness and the dependency's own warnings, not as a bug.
  const unexpected = statusCode >= 500 && code !== ErrorCode.SERVICE_UNAVAILABLE;
  if (statusCode >= 500 && code === ErrorCode.INTERNAL_ERROR) {
    message = 'An unexpected error occurred';
    details = undefined;
  }
  const body: ErrorBody = {
    status: 'error',
    error: details ? { code, message, details } : { code, message },
    meta: { requestId, timestamp: new Date().toISOString() },
  };
  return { statusCode, body, headers, unexpected };
}

function messageOf(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.join('; ');
  return error.message;
}
