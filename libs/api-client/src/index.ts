import createClient, { type Client, type ClientOptions } from 'openapi-fetch';

import type { components, paths } from './schema';

export type { components, operations, paths } from './schema';

/** A named schema of the committed OpenAPI spec, e.g. `Schema<'InfoDto'>`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

/** `meta` of every enveloped response: request id (for support) and server time. */
export type ResponseMeta = Schema<'ResponseMetaDto'>;

/** The success envelope (README, "API conventions") around a payload of type `T`. */
export interface ApiEnvelope<T> {
  status: 'success';
  data: T;
  meta: ResponseMeta;
}

/** The error envelope every route answers with on failure. */
export type ApiErrorResponse = Schema<'ErrorResponseDto'>;
export type ApiErrorBody = ApiErrorResponse['error'];

export type HealthResponse = Schema<'HealthResponseDto'>;
export type ReadinessResponse = Schema<'ReadinessResponseDto'>;
export type InstanceInfo = Schema<'InfoDto'>;

export type AtriumClient = Client<paths>;

/**
 * The typed client for the Atrium REST API. `baseUrl` is empty when the SPA is served from the
 * API's own origin. `fetch` is looked up on every call rather than captured once, so tests (and
 * anything else that swaps `globalThis.fetch`) are honoured.
 */
export function createAtriumClient(baseUrl = '', options: Omit<ClientOptions, 'baseUrl'> = {}): AtriumClient {
  return createClient<paths>({
    fetch: (request: Request) => globalThis.fetch(request),
    ...options,
    baseUrl,
  });
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
