import type { FetchResponse, MaybeOptionalInit } from 'openapi-fetch';

import { type AtriumClient, type AtriumClientOptions, createAtriumClient } from './client.js';
import { callApi, toAtriumApiError } from './errors.js';
import type { components, paths } from './schema.js';

type Schemas = components['schemas'];
type Method = 'get' | 'put' | 'post' | 'delete' | 'patch';
type Media = `${string}/${string}`;

/** `meta` of every enveloped response: the request id (quote it to support) and the server time. */
export type ResponseMeta = Schemas['ResponseMetaDto'];
/** `meta.pagination` of a list read by `page`/`perPage`. */
export type PaginationMeta = Schemas['PaginationMetaDto'];
/** `meta.cursor` of a list read by `cursor`/`limit` (keyset): pass `next` back as `cursor`. */
export type CursorMeta = Schemas['CursorMetaDto'];

/** The success envelope around a payload of type `T`. */
export interface ApiEnvelope<T, M = ResponseMeta> {
  status: 'success';
  data: T;
  meta: M;
}

/** Paths of the API that have an operation for `M`. */
export type PathsWith<M extends Method> = {
  [P in keyof paths]: paths[P] extends { [K in M]: unknown } ? P : never;
}[keyof paths];

/** Lists that page: a GET whose query takes `page` or `cursor`. */
export type PagedPath = {
  [P in PathsWith<'get'>]: paths[P] extends { get: { parameters: { query?: infer Q } } }
    ? [NonNullable<Q>] extends [never]
      ? never
      : 'page' extends keyof NonNullable<Q>
        ? P
        : 'cursor' extends keyof NonNullable<Q>
          ? P
          : never
    : never;
}[PathsWith<'get'>];

/** The request options of one operation (`params`, `body`, `headers`, `signal` …), as openapi-fetch takes them. */
export type RequestInitOf<P extends keyof paths, M extends Method> = MaybeOptionalInit<paths[P], M>;

/** Required when the operation has a required parameter or body, optional otherwise (as in openapi-fetch). */
type RequiredKeysOf<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
type InitParam<I> = [RequiredKeysOf<I>] extends [never]
  ? [(I & Record<string, unknown>)?]
  : [I & Record<string, unknown>];

/** The success body of one operation. */
type SuccessBody<P extends keyof paths, M extends Method, I> = paths[P] extends {
  [K in M]: infer O extends Record<string | number, unknown>;
}
  ? NonNullable<FetchResponse<O, I, Media>['data']>
  : never;

/** What `unwrap` resolves to: the envelope's `data`, or the whole body of a route outside the envelope (probes). */
export type DataOf<B> = B extends { status: 'success'; data: infer D } ? D : B;
/** The envelope's `meta` (with `pagination` or `cursor` on lists). */
export type MetaOf<B> = B extends { status: 'success'; meta: infer T } ? T : never;

/** A page of a list: its items and the envelope's `meta`. */
export interface Page<T, M = ResponseMeta & { pagination?: PaginationMeta; cursor?: CursorMeta }> {
  data: T[];
  meta: M;
}

type ItemOf<D> = D extends readonly (infer T)[] ? T : never;

/** The result of a raw client call, as `unwrap` takes it. */
interface RawResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/**
 * Opens the success envelope of a raw client call: resolves to its `data`, or throws an
 * `AtriumApiError` for an error answer or a failed connection.
 *
 *     const me = await unwrap(client.GET('/api/v1/auth/me'));
 */
export async function unwrap<R extends RawResult>(call: Promise<R>): Promise<DataOf<NonNullable<R['data']>>> {
  return (await unwrapWithMeta(call)).data;
}

/** Like `unwrap`, keeping the envelope's `meta` (pagination, request id): resolves to `{ data, meta }`. */
export async function unwrapWithMeta<R extends RawResult>(
  call: Promise<R>,
): Promise<{ data: DataOf<NonNullable<R['data']>>; meta: MetaOf<NonNullable<R['data']>> }> {
  const { data, error, response } = await callApi(() => call);
  if (!response.ok) throw toAtriumApiError(error, response);
  if (isEnvelope(data)) return { data: data.data, meta: data.meta } as never;
  return { data, meta: undefined } as never;
}

function isEnvelope(body: unknown): body is ApiEnvelope<unknown> {
  return (
    typeof body === 'object' && body !== null && (body as { status?: unknown }).status === 'success' && 'data' in body
  );
}

/** A method of `Atrium`: the raw client's, resolving to the envelope's `data` or throwing `AtriumApiError`. */
export type UnwrappedMethod<M extends Method> = <P extends PathsWith<M>, I extends RequestInitOf<P, M>>(
  path: P,
  ...init: InitParam<I>
) => Promise<DataOf<SuccessBody<P, M, I>>>;

/** The Atrium API with the envelope opened: each call resolves to `data` or throws an `AtriumApiError`. */
export interface Atrium {
  /** The raw typed client (`openapi-fetch`) with the same base URL and token, for full control. */
  readonly raw: AtriumClient;
  get: UnwrappedMethod<'get'>;
  post: UnwrappedMethod<'post'>;
  put: UnwrappedMethod<'put'>;
  patch: UnwrappedMethod<'patch'>;
  delete: UnwrappedMethod<'delete'>;
  /** One page of a list with its `meta` (`meta.pagination` for `page/perPage`, `meta.cursor` for `cursor/limit`). */
  list<P extends PagedPath, I extends RequestInitOf<P, 'get'>>(
    path: P,
    ...init: InitParam<I>
  ): Promise<Page<ItemOf<DataOf<SuccessBody<P, 'get', I>>>, MetaOf<SuccessBody<P, 'get', I>>>>;
  /**
   * Every item of a list, page after page: follows `meta.cursor.next` when the first request asked
   * for keyset paging (`cursor`/`limit`), else `meta.pagination` (`page` + 1 while `hasNext`).
   */
  paginate<P extends PagedPath, I extends RequestInitOf<P, 'get'>>(
    path: P,
    ...init: InitParam<I>
  ): AsyncGenerator<ItemOf<DataOf<SuccessBody<P, 'get', I>>>, void, undefined>;
}

interface LooseInit {
  params?: { query?: Record<string, unknown> };
  [key: string]: unknown;
}
type LooseRequest = (method: string, path: string, init?: LooseInit) => Promise<RawResult>;

/**
 * The Atrium API for integrations: bearer token on every call, envelope opened, failures thrown as
 * `AtriumApiError`.
 *
 *     const atrium = createAtrium({ baseUrl: 'https://atrium.example.com', token: process.env.ATRIUM_TOKEN });
 *     const me = await atrium.get('/api/v1/auth/me');
 */
export function createAtrium(options: AtriumClientOptions): Atrium {
  const raw = createAtriumClient(options);
  const request = raw.request as unknown as LooseRequest;
  const call =
    (method: Method) =>
    (path: string, init?: LooseInit): Promise<never> =>
      unwrap(request(method.toUpperCase(), path, init)) as Promise<never>;
  const page = (path: string, init?: LooseInit) =>
    unwrapWithMeta(request('GET', path, init)) as Promise<unknown> as Promise<
      Page<unknown, ResponseMeta & Record<string, unknown>>
    >;

  async function* paginate(path: string, init: LooseInit = {}): AsyncGenerator<unknown, void, undefined> {
    let next = init;
    for (;;) {
      const { data, meta } = await page(path, next);
      yield* data;
      const { cursor, pagination } = meta as { cursor?: CursorMeta; pagination?: PaginationMeta };
      if (cursor) {
        if (!cursor.hasNext || !cursor.next) return;
        next = withQuery(next, { cursor: cursor.next });
      } else if (pagination) {
        if (!pagination.hasNext) return;
        next = withQuery(next, { page: pagination.page + 1 });
      } else {
        return;
      }
    }
  }

  const atrium = {
    raw,
    get: call('get'),
    post: call('post'),
    put: call('put'),
    patch: call('patch'),
    delete: call('delete'),
    list: page,
    paginate,
  };
  return atrium as unknown as Atrium;
}

function withQuery(init: LooseInit, query: Record<string, unknown>): LooseInit {
  return { ...init, params: { ...init.params, query: { ...init.params?.query, ...query } } };
}
