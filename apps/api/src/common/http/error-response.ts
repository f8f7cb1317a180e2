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
  /** True when the error is ours to fix (5xx): logged with its stack, and its message is never sent. */
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

/** Maps anything thrown while serving a request to the error envelope (README, "API conventions"). */
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
  } else if (error instanceof SyntaxError && (error as { statusCode?: number }).statusCode === 400) {
    // Fastify's JSON parser throws a plain SyntaxError tagged with statusCode 400.
    statusCode = 400;
    code = ErrorCode.VALIDATION_ERROR;
    message = 'Request body is not valid JSON';
  }

  const unexpected = statusCode >= 500;
  if (unexpected && code === ErrorCode.INTERNAL_ERROR) {
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
