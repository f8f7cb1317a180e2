import { createAtriumClient, isApiErrorResponse } from '@atrium/api-client';

/**
 * The SPA is served by the API itself (or by nginx proxying it), so requests go to the page's own
 * origin. An absolute base keeps `new Request()` valid outside a browser document too (jsdom tests).
 */
export const apiClient = createAtriumClient(globalThis.location?.origin ?? '');

/** What went wrong talking to the API, in terms a person can act on. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    message: string,
    /** Stable code from the error envelope, or `NETWORK_ERROR` / `UNEXPECTED_RESPONSE`. */
    readonly code: string,
    /** HTTP status; `undefined` when no response arrived at all. */
    readonly httpStatus?: number,
    /** The request id to quote when reporting the problem (envelope `meta`, else `X-Request-ID`). */
    readonly requestId?: string,
  ) {
    super(message);
  }
}

export const NETWORK_ERROR = 'NETWORK_ERROR';
export const UNEXPECTED_RESPONSE = 'UNEXPECTED_RESPONSE';

/** Turns a failed response body (envelope, proxy HTML page, anything) into an `ApiError`. */
export function toApiError(body: unknown, response: Response): ApiError {
  const headerRequestId = response.headers.get('x-request-id') ?? undefined;
  if (isApiErrorResponse(body)) {
    return new ApiError(body.error.message, body.error.code, response.status, body.meta?.requestId ?? headerRequestId);
  }
  return new ApiError(
    `The API answered with an unexpected response (HTTP ${response.status}).`,
    UNEXPECTED_RESPONSE,
    response.status,
    headerRequestId,
  );
}

/** Runs one API call, mapping a failed connection (fetch rejects) to an `ApiError`. */
export async function callApi<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (cause) {
    if (cause instanceof ApiError) throw cause;
    // An aborted query (react-query cancelled it) must stay an AbortError so it is not shown.
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(
      'The Atrium API could not be reached. Check your connection and that the server is running.',
      NETWORK_ERROR,
    );
  }
}
