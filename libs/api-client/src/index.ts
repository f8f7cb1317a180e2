/**
 * Typed TypeScript client for the Atrium REST API (README.md). The types are generated from the
 * API's OpenAPI spec (`npm run api:generate`); this package's version is the API's version.
 */
import type { components } from './schema.js';

export type { components, operations, paths } from './schema.js';

export {
  type AtriumClient,
  type AtriumClientOptions,
  type TokenProvider,
  bearerToken,
  createAtriumClient,
} from './client.js';
export {
  type ApiErrorBody,
  type ApiErrorDetail,
  type ApiErrorResponse,
  type AtriumApiErrorInit,
  type AtriumErrorCode,
  type ErrorCode,
  AtriumApiError,
  isApiErrorResponse,
  NETWORK_ERROR,
  toAtriumApiError,
  UNEXPECTED_RESPONSE,
} from './errors.js';
export {
  type ApiEnvelope,
  type Atrium,
  type CursorMeta,
  type DataOf,
  type MetaOf,
  type Page,
  type PagedPath,
  type PaginationMeta,
  type PathsWith,
  type RequestInitOf,
  type ResponseMeta,
  type UnwrappedMethod,
  createAtrium,
  unwrap,
  unwrapWithMeta,
} from './atrium.js';

/** A named schema of the API's OpenAPI spec, e.g. `Schema<'AdminUserDto'>`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

export type HealthResponse = Schema<'HealthResponseDto'>;
export type ReadinessResponse = Schema<'ReadinessResponseDto'>;
export type InstanceInfo = Schema<'InfoDto'>;
