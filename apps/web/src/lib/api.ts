import { type AtriumClient, createAtriumClient, isApiErrorResponse, type Schema } from '@atrium/api-client';
import { ErrorCode } from '@atrium/contracts';

import { session } from './session';

/**
 * The SPA is served by the API itself (or by nginx proxying it), so requests go to the page's own
 * origin. An absolute base keeps `new Request()` valid outside a browser document too (jsdom tests).
 */
export const apiClient = createAtriumClient(globalThis.location?.origin ?? '');

/** One problem with one field of the request (`error.details[]` of the envelope). */
export type ApiErrorDetail = Schema<'ErrorDetailDto'>;

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
    /** Per-field problems (validation, weak password, taken username …). */
    readonly details: readonly ApiErrorDetail[] = [],
    /** Seconds to wait before trying again (`Retry-After` of a 423 or 429). */
    readonly retryAfterSeconds?: number,
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
    return new ApiError(
      body.error.message,
      body.error.code,
      response.status,
      body.meta?.requestId ?? headerRequestId,
      Array.isArray(body.error.details) ? body.error.details : [],
      retryAfterSeconds(response.headers.get('retry-after')),
    );
  }
  return new ApiError(
    `The API answered with an unexpected response (HTTP ${response.status}).`,
    UNEXPECTED_RESPONSE,
    response.status,
    headerRequestId,
  );
}

/** `Retry-After` in seconds; the HTTP-date form is not used by this API. */
function retryAfterSeconds(header: string | null): number | undefined {
  if (header === null || !/^\d+$/.test(header.trim())) return undefined;
  return Number(header.trim());
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

/** What an `apiClient` call resolves to, for a route answering the success envelope. */
interface EnvelopedResult<T> {
  data?: { data: T };
  error?: unknown;
  response: Response;
}

/**
 * The one place the success envelope (`{ status: 'success', data, meta }`) is opened: resolves to
 * its `data`, or throws an `ApiError` for an error answer or a failed connection.
 *
 *     const info = await unwrap(apiClient.GET('/api/v1/info', { signal }));
 */
export async function unwrap<T>(call: Promise<EnvelopedResult<T>>): Promise<T> {
  const { data, error, response } = await callApi(() => call);
  if (data) return data.data;
  throw toApiError(error, response);
}

// ---------------------------------------------------------------------------------------------
// Authentication: the bearer token on every call, and one refresh when it has expired.
// ---------------------------------------------------------------------------------------------

type ClientMiddleware = Parameters<AtriumClient['use']>[0];

/** Routes that must not carry the access token: they start or renew a session. */
const WITHOUT_BEARER = new Set(['/api/v1/auth/login', '/api/v1/auth/register', '/api/v1/auth/refresh']);

/** A copy of each request sent with a bearer token, taken before `fetch` consumes its body, to retry it. */
const retryCopies = new Map<string, { copy: Request; token: string }>();

const authMiddleware: ClientMiddleware = {
  onRequest({ request, schemaPath, id }) {
    const { accessToken } = session.get();
    if (!accessToken || WITHOUT_BEARER.has(schemaPath)) return undefined;
    request.headers.set('Authorization', `Bearer ${accessToken}`);
    retryCopies.set(id, { copy: request.clone(), token: accessToken });
    return request;
  },

  async onResponse({ response, id, options }) {
    const sent = retryCopies.get(id);
    retryCopies.delete(id);
    if (!sent || response.status !== 401) return undefined;

    const code = await errorCodeOf(response);
    if (code !== ErrorCode.TOKEN_EXPIRED) {
      // The token was refused for good (session ended elsewhere, account disabled): signed out.
      if (code === ErrorCode.UNAUTHENTICATED && session.get().accessToken === sent.token) session.signedOut();
      return undefined;
    }
    // Another request may have refreshed meanwhile: its token is fresh, no second refresh needed.
    const current = session.get().accessToken;
    const token = current && current !== sent.token ? current : await refreshSession();
    if (!token) return undefined;
    sent.copy.headers.set('Authorization', `Bearer ${token}`);
    // Exactly one retry: this call does not pass through the middleware again.
    return options.fetch(sent.copy);
  },

  onError({ id }) {
    retryCopies.delete(id);
    return undefined;
  },
};

apiClient.use(authMiddleware);

async function errorCodeOf(response: Response): Promise<string | undefined> {
  try {
    const body: unknown = await response.clone().json();
    return isApiErrorResponse(body) ? body.error.code : undefined;
  } catch {
    return undefined;
  }
}

let refreshing: Promise<string | undefined> | undefined;

/**
 * Trades the HttpOnly refresh cookie for a new access token and resolves to it (`undefined`: no
 * session). Concurrent callers share one request: the refresh token rotates on every use, and
 * presenting a rotated one ends the session. Tabs of the same browser take turns through a Web
 * Lock for the same reason.
 */
export function refreshSession(): Promise<string | undefined> {
  refreshing ??= withRefreshLock(requestRefresh).finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

function withRefreshLock<T>(task: () => Promise<T>): Promise<T> {
  const locks = 'locks' in globalThis.navigator ? globalThis.navigator.locks : undefined;
  return locks ? locks.request('atrium:auth-refresh', task) : task();
}

async function requestRefresh(): Promise<string | undefined> {
  try {
    // Same origin: the browser sends the cookie (path /api/v1/auth) by itself.
    const { accessToken, user } = await unwrap(
      apiClient.POST('/api/v1/auth/refresh', { body: {}, credentials: 'same-origin' }),
    );
    session.signedIn(accessToken, user);
    return accessToken;
  } catch (error) {
    // 400/401: no cookie, or it expired or was revoked. Anything else (429, 5xx, no connection)
    // says nothing about the session, so the next start tries again.
    const status = error instanceof ApiError ? error.httpStatus : undefined;
    session.signedOut({ forget: status === 400 || status === 401 });
  }
  return undefined;
}

/** At app start: restores the session from the refresh cookie when there may be one. */
export async function restoreSession(): Promise<void> {
  if (session.get().status === 'signed-in') return;
  if (!session.mayBeRestored()) {
    session.signedOut();
    return;
  }
  session.restoring();
  await refreshSession();
}
