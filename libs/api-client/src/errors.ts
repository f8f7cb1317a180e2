import type { components } from './schema.js';

type Schemas = components['schemas'];

/** The stable codes of the error envelope (`error.code`); branch on these, never on the message. */
export type ErrorCode = Schemas['ErrorCode'];

/** The error envelope every `/api/v1` route answers with on failure. */
export type ApiErrorResponse = Schemas['ErrorResponseDto'];
export type ApiErrorBody = ApiErrorResponse['error'];

/** One problem with one field of the request (`error.details[]`). */
export type ApiErrorDetail = Schemas['ErrorDetailDto'];

/** No response arrived at all (DNS, refused connection, TLS, CORS in a browser). */
export const NETWORK_ERROR = 'NETWORK_ERROR';
/** A response arrived but it is not the error envelope (a proxy's HTML 502 page, a probe's 503). */
export const UNEXPECTED_RESPONSE = 'UNEXPECTED_RESPONSE';

/** `code` of an {@link AtriumApiError}: the API's own codes plus the two the client adds. */
export type AtriumErrorCode = ErrorCode | typeof NETWORK_ERROR | typeof UNEXPECTED_RESPONSE;

export interface AtriumApiErrorInit {
  message: string;
  code: AtriumErrorCode;
  status?: number;
  details?: readonly ApiErrorDetail[];
  requestId?: string;
  retryAfterSeconds?: number;
  body?: unknown;
  cause?: unknown;
}

/** A failed call: the API's error envelope (or a failed connection) as one typed error. */
export class AtriumApiError extends Error {
  override readonly name = 'AtriumApiError';
  /** Stable code from the error envelope, or `NETWORK_ERROR` / `UNEXPECTED_RESPONSE`. */
  readonly code: AtriumErrorCode;
  /** HTTP status; `undefined` when no response arrived (`NETWORK_ERROR`). */
  readonly status: number | undefined;
  /** Per-field problems (`VALIDATION_ERROR`, weak password, taken username …); empty otherwise. */
  readonly details: readonly ApiErrorDetail[];
  /** The request id to quote when reporting a problem (`meta.requestId`, else `X-Request-ID`). */
  readonly requestId: string | undefined;
  /** Seconds to wait before trying again (`Retry-After` of a 423 or 429). */
  readonly retryAfterSeconds: number | undefined;
  /** The parsed response body when it was not the error envelope. */
  readonly body: unknown;

  constructor(init: AtriumApiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.details = init.details ?? [];
    this.requestId = init.requestId;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.body = init.body;
  }
}

/** True when `body` has the shape of the error envelope (a proxy's HTML 502 page does not). */
export function isApiErrorResponse(body: unknown): body is ApiErrorResponse {
  if (typeof body !== 'object' || body === null) return false;
  const candidate = body as { status?: unknown; error?: unknown };
  return (
    candidate.status === 'error' &&
    typeof candidate.error === 'object' &&
    candidate.error !== null &&
    typeof (candidate.error as { message?: unknown }).message === 'string'
  );
}

/** Turns a failed response and its parsed body (envelope, HTML page, anything) into an error. */
export function toAtriumApiError(body: unknown, response: Response): AtriumApiError {
  const headerRequestId = response.headers.get('x-request-id') ?? undefined;
  const retryAfterSeconds = retryAfter(response.headers.get('retry-after'));
  if (isApiErrorResponse(body)) {
    return new AtriumApiError({
      message: body.error.message,
      code: body.error.code,
      status: response.status,
      details: Array.isArray(body.error.details) ? body.error.details : [],
      requestId: body.meta?.requestId ?? headerRequestId,
      retryAfterSeconds,
    });
  }
  return new AtriumApiError({
    message: `The Atrium API answered with an unexpected response (HTTP ${response.status}).`,
    code: UNEXPECTED_RESPONSE,
    status: response.status,
    requestId: headerRequestId,
    retryAfterSeconds,
    body,
  });
}

/** `Retry-After` in seconds; the HTTP-date form is not used by this API. */
function retryAfter(header: string | null): number | undefined {
  if (header === null || !/^\d+$/.test(header.trim())) return undefined;
  return Number(header.trim());
}

/** Runs one call, turning a failed connection (`fetch` rejects) into a `NETWORK_ERROR`. */
export async function callApi<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (cause) {
    if (cause instanceof AtriumApiError) throw cause;
    // A cancelled call (AbortSignal) stays an AbortError: the caller asked for it.
    if (cause instanceof Error && (cause.name === 'AbortError' || cause.name === 'TimeoutError')) throw cause;
    const reason = cause instanceof Error ? `: ${cause.message}` : '';
    throw new AtriumApiError({
      message: `The Atrium API could not be reached${reason}`,
      code: NETWORK_ERROR,
      cause,
    });
  }
}
