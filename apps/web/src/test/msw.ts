import type { paths } from '@atrium/api-client';
import {
  type DefaultBodyType,
  http,
  type HttpHandler,
  HttpResponse,
  type HttpResponseResolver,
  type JsonBodyType,
} from 'msw';
import { setupServer } from 'msw/node';

/**
 * The API as the tests see it: MSW answers the SPA's real `fetch` calls. Handlers are typed from
 * the generated client's `paths` (the committed OpenAPI spec), so a mock whose path, parameters,
 * request or response body drift from the API fails the typecheck.
 */

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type PathWith<M extends Method> = {
  [P in keyof paths]: [NonNullable<paths[P][M]>] extends [never] ? never : P;
}[keyof paths];
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;

type JsonOf<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;
/** Every JSON body the spec lists for the operation, whatever the status (success and error envelopes). */
type ResponseBody<Op> = Op extends { responses: infer R } ? { [Status in keyof R]: JsonOf<R[Status]> }[keyof R] : never;
type RequestBody<Op> = Op extends { requestBody?: infer B }
  ? [NonNullable<B>] extends [never]
    ? undefined
    : JsonOf<NonNullable<B>>
  : undefined;
type PathParamsOf<Op> = Op extends { parameters: { path?: infer Params } }
  ? [NonNullable<Params>] extends [never]
    ? Record<string, never>
    : { [K in keyof NonNullable<Params>]: string }
  : Record<string, never>;

type Resolver<P extends keyof paths, M extends Method> = HttpResponseResolver<
  PathParamsOf<Operation<P, M>>,
  RequestBody<Operation<P, M>> & DefaultBodyType,
  ResponseBody<Operation<P, M>> & DefaultBodyType
>;

/** `/api/v1/me/tokens/{id}` → `*\/api/v1/me/tokens/:id` (any origin: jsdom's is http://localhost:3000). */
const toMswPath = (path: string) => `*${path.replace(/\{(\w+)\}/g, ':$1')}`;

const handler =
  <M extends Method>(method: M) =>
  <P extends PathWith<M>>(path: P, resolver: Resolver<P, M>): HttpHandler =>
    http[method](toMswPath(path), resolver as HttpResponseResolver);

/** Typed handlers: `api.get('/api/v1/auth/me', () => json(envelope(meOf())))`. */
export const api = {
  get: handler('get'),
  post: handler('post'),
  put: handler('put'),
  patch: handler('patch'),
  delete: handler('delete'),
};

/** A JSON answer with a status (and headers such as `Retry-After`). */
export const json = <Body extends JsonBodyType>(
  body: Body,
  status = 200,
  headers: Record<string, string> = {},
): HttpResponse<Body> => HttpResponse.json(body, { status, headers });

/** The connection failed (DNS, refused, offline): `fetch` rejects. */
export const networkError = () => HttpResponse.error();

/** What the API answers to a route no test set up: its own 404 envelope. */
const unknownRoute = http.all('*', () =>
  HttpResponse.json({ status: 'error', error: { code: 'NOT_FOUND', message: 'No route' } }, { status: 404 }),
);

export const server = setupServer(unknownRoute);

/** Every request the SPA sent in this test, oldest first (copies, so their bodies can still be read). */
const sent: Request[] = [];
server.events.on('request:start', ({ request }) => {
  sent.push(request.clone());
});

export function forgetRequests(): void {
  sent.length = 0;
}

/** The requests sent to `pathname`, oldest first: their method, headers and (unread) bodies. */
export const requestsTo = (pathname: string): Request[] =>
  sent.filter((request) => new URL(request.url).pathname === pathname);

export const callsTo = (pathname: string): number => requestsTo(pathname).length;

/** Answers with these handlers for the rest of the test (the first that matches wins). */
export function useApi(...handlers: HttpHandler[]) {
  server.use(...handlers);
  return { requestsTo, callsTo };
}
