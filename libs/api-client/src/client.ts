import createClient, { type Client, type ClientOptions, type Middleware } from 'openapi-fetch';

import type { paths } from './schema.js';

/** The raw typed client (`openapi-fetch`): `GET/POST/…` resolve to `{ data, error, response }`. */
export type AtriumClient = Client<paths>;

/** Returns the bearer token for the next request (`undefined`/`null`: send none). */
export type TokenProvider = () => string | null | undefined | Promise<string | null | undefined>;

export interface AtriumClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** Origin of the Atrium installation, e.g. `https://atrium.example.com` (without `/api/v1`). */
  baseUrl: string;
  /**
   * Sent as `Authorization: Bearer …` on every request that does not set its own: a personal access
   * token (`atr_pat_…`), an access token from sign-in, or a function asked before every request.
   */
  token?: string | TokenProvider;
}

/**
 * The typed client for the Atrium REST API, either `createAtriumClient({ baseUrl, token })` or
 * `createAtriumClient(baseUrl, options)` (`baseUrl` empty: the page's own origin, as the SPA uses it).
 * `fetch` is looked up on every call rather than captured once, so anything that swaps
 * `globalThis.fetch` (tests, instrumentation) is honoured; pass `fetch` to use another.
 */
export function createAtriumClient(options: AtriumClientOptions): AtriumClient;
export function createAtriumClient(baseUrl?: string, options?: Omit<ClientOptions, 'baseUrl'>): AtriumClient;
export function createAtriumClient(
  first: string | AtriumClientOptions = '',
  rest: Omit<ClientOptions, 'baseUrl'> = {},
): AtriumClient {
  const { token, baseUrl, ...options }: AtriumClientOptions =
    typeof first === 'string' ? { ...rest, baseUrl: first } : first;
  const client = createClient<paths>({
    fetch: (request: Request) => globalThis.fetch(request),
    ...options,
    baseUrl,
  });
  if (token !== undefined) client.use(bearerToken(token));
  return client;
}

/** Middleware setting `Authorization: Bearer <token>` unless the request already has one. */
export function bearerToken(token: string | TokenProvider): Middleware {
  return {
    async onRequest({ request }) {
      if (request.headers.has('authorization')) return undefined;
      const value = typeof token === 'function' ? await token() : token;
      if (value) request.headers.set('Authorization', `Bearer ${value}`);
      return request;
    },
  };
}
