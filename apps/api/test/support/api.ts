import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AtriumApp } from '../../src/bootstrap';
import { multipart, type Part } from './multipart';
import { COMMITTED_SPEC, componentViolations, contractViolations } from './openapi-contract';

/**
 * The one way e2e tests talk to the API: `app.inject` plus a check of every answer against the
 * committed spec (apps/api/openapi.json), so the docs stay a contract. A response the spec does
 * not describe fails the test that received it, with the method, path, status and what is wrong.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
export type InjectResponse = Awaited<ReturnType<NestFastifyApplication['inject']>>;

export interface CallOptions {
  /** Sent as `Authorization: Bearer <token>` (an access token or a personal access token). */
  token?: string;
  /** A JSON body. */
  body?: unknown;
  /** A raw body (a string or bytes) sent as is: set its `content-type` in `headers`. */
  payload?: string | Buffer;
  /** A multipart/form-data body, as a browser sends a form. */
  multipart?: Part[];
  headers?: Record<string, string>;
  /** Appended to the path as a query string (undefined values are left out). */
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent in the `Cookie` header, e.g. `{ atrium_refresh: '…' }`. */
  cookies?: Record<string, string>;
  /**
   * THE OPT-OUT (grep for `outsideContract`): the request deliberately goes outside the documented
   * API (test-only fixture routes, CORS preflights) and the test inspects the undocumented answer
   * itself. The answer is not matched against an operation; an error answer in JSON must still be
   * the documented error envelope. Say why, in a few words.
   */
  outsideContract?: string;
}

/** An app, or a getter for one (files start their app in `beforeAll`, after the client is made). */
export type AppRef = AtriumApp | NestFastifyApplication | (() => AtriumApp | NestFastifyApplication);

export type Call = (method: HttpMethod, path: string, options?: CallOptions) => Promise<InjectResponse>;

/** The Nest application behind a reference. */
export const appOf = (ref: AppRef): NestFastifyApplication => {
  const target = typeof ref === 'function' ? ref() : ref;
  return 'app' in target && 'config' in target ? target.app : target;
};

/** `call(method, path, options)` bound to one app. Paths are the full paths, as in the spec (`/api/v1/…`). */
export function apiClient(ref: AppRef): Call {
  return async (method, path, options = {}) => {
    const url = withQuery(path, options.query);
    const form = options.multipart ? multipart(options.multipart) : undefined;
    const headers: Record<string, string> = {
      ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
      ...(options.cookies === undefined
        ? {}
        : {
            cookie: Object.entries(options.cookies)
              .map(([name, value]) => `${name}=${value}`)
              .join('; '),
          }),
      ...(form ? { 'content-type': form.contentType } : {}),
      ...options.headers,
    };
    const res = await appOf(ref).inject({
      method,
      url,
      headers,
      payload: form ? form.body : (options.payload ?? (options.body as object | undefined)),
    });
    expectContract(
      { method, url, statusCode: res.statusCode, headers: res.headers, body: res.rawPayload },
      options.outsideContract,
    );
    return res;
  };
}

function withQuery(path: string, query: CallOptions['query']): string {
  if (!query) return path;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) search.append(key, String(value));
  const text = search.toString();
  if (text === '') return path;
  return `${path}${path.includes('?') ? '&' : '?'}${text}`;
}

/** An answer as any client sees it (inject, fetch or node:http), for `expectContract`. */
export interface SeenResponse {
  method: string;
  /** The requested path, with or without a query string. */
  url: string;
  statusCode: number;
  headers: Record<string, unknown>;
  body: Buffer | string;
}

/**
 * Fails (throws) when `res` is not what the committed spec documents. `call` does this for every
 * answer; tests that go over real HTTP (fetch) call it themselves.
 */
export function expectContract(res: SeenResponse, outsideContract?: string): void {
  const violations = responseViolations(res, outsideContract);
  if (violations.length === 0) return;
  const body = Buffer.from(res.body).toString('utf8');
  throw new Error(
    [
      `${res.method} ${res.url} → ${res.statusCode} does not match the committed spec (apps/api/openapi.json):`,
      ...violations.map((v) => `  - ${v}`),
      `  body: ${body.length > 600 ? `${body.slice(0, 600)}…` : body || '(empty)'}`,
    ].join('\n'),
  );
}

type SpecResponse = { content?: Record<string, unknown>; headers?: Record<string, unknown> };
type SpecOperation = { responses: Record<string, SpecResponse> };

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Each templated path of the spec as a pattern; literal segments count, so `/a/b` beats `/a/{x}`. */
const TEMPLATES = Object.keys(COMMITTED_SPEC.paths).map((template) => {
  const segments = template.split('/');
  const pattern = segments.map((s) => (/^\{[^}]+\}$/.test(s) ? '[^/]+' : escapeRegExp(s))).join('/');
  return {
    template,
    pattern: new RegExp(`^${pattern}$`),
    literals: segments.filter((s) => !s.startsWith('{')).length,
  };
});

/** The spec's templated path (`/api/v1/users/{id}`) that a concrete path (`/api/v1/users/0190…`) is, if any. */
export function specPathOf(path: string): string | undefined {
  const pathname = path.split('?')[0];
  return TEMPLATES.filter((t) => t.pattern.test(pathname)).sort((a, b) => b.literals - a.literals)[0]?.template;
}

/** The API's own ground: an answer there is an operation of the spec, or the documented 404. */
const API_GROUND = /^\/(api\/|api$|health$|readiness$|metrics$)/;

const mediaType = (headers: Record<string, unknown>): string | undefined => {
  const value = headers['content-type'];
  return typeof value === 'string' ? value.split(';')[0].trim().toLowerCase() : undefined;
};

function parsedJson(body: Buffer | string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(Buffer.from(body).toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

/** An error answer must be the documented error envelope, wherever it comes from. */
function errorEnvelopeViolations(res: SeenResponse): string[] {
  if (res.statusCode < 400) return [];
  if (mediaType(res.headers) !== 'application/json') {
    return [`an error answer must be the JSON error envelope, got content-type ${String(res.headers['content-type'])}`];
  }
  const json = parsedJson(res.body);
  if (!json.ok) return ['an error answer must be the JSON error envelope, but the body is not JSON'];
  return componentViolations('ErrorResponseDto', json.value).map((v) => `error envelope: ${v}`);
}

/** What is wrong with `res` according to the committed spec (empty when nothing is). */
export function responseViolations(res: SeenResponse, outsideContract?: string): string[] {
  const method = res.method.toUpperCase();
  const pathname = new URL(res.url, 'http://atrium.test').pathname;
  if (outsideContract !== undefined) {
    if (outsideContract.trim() === '') return ['outsideContract needs a reason'];
    return errorEnvelopeViolations(res);
  }
  if (method === 'OPTIONS') {
    return ['a CORS preflight (OPTIONS) is not an operation of the spec: pass outsideContract'];
  }

  const template = specPathOf(pathname);
  const operation = template
    ? (COMMITTED_SPEC.paths[template][method.toLowerCase()] as SpecOperation | undefined)
    : undefined;
  if (template && !operation && method !== 'HEAD') {
    // A documented path under an undocumented method: 405, and Allow names the documented ones.
    const documented = Object.keys(COMMITTED_SPEC.paths[template]).map((m) => m.toUpperCase());
    if (documented.includes('GET')) documented.push('HEAD');
    const allow = typeof res.headers.allow === 'string' ? res.headers.allow : '';
    if (res.statusCode !== 405)
      return [`${method} ${template} is not an operation of the spec, yet it answered ${res.statusCode} (want 405)`];
    if (allow !== documented.sort().join(', '))
      return [`405 Allow is "${allow}", the spec documents ${documented.join(', ')}`];
    return errorEnvelopeViolations(res);
  }
  if (!template || !operation) {
    if (!API_GROUND.test(pathname)) {
      // The SPA, its files and Swagger UI are served beside the API, not documented in its spec:
      // what they serve is their own business, but an error is still the API's error envelope.
      return errorEnvelopeViolations(res);
    }
    // Not an operation of the spec: the only documented answer is the 404 envelope.
    if (res.statusCode !== 404) {
      return [`${method} ${pathname} is not an operation of the spec, yet it answered ${res.statusCode} (want 404)`];
    }
    return errorEnvelopeViolations(res);
  }

  const operationName = `${method} ${template}`;
  const documented = operation.responses[String(res.statusCode)];
  if (!documented) {
    const statuses = Object.keys(operation.responses).join(', ');
    return [`${operationName} does not document status ${res.statusCode} (documented: ${statuses})`];
  }
  const violations: string[] = [];
  for (const header of Object.keys(documented.headers ?? {})) {
    if (res.headers[header.toLowerCase()] === undefined) {
      violations.push(`${operationName} ${res.statusCode} documents the header ${header}, which is missing`);
    }
  }
  const media = Object.keys(documented.content ?? {});
  const actual = mediaType(res.headers);
  const empty = Buffer.from(res.body).length === 0;
  if (media.length === 0) {
    if (!empty) violations.push(`${operationName} ${res.statusCode} documents no body, but one was sent`);
    return violations;
  }
  if (actual === undefined || !media.includes(actual)) {
    violations.push(
      `${operationName} ${res.statusCode} answered content-type ${actual ?? '(none)'}; the spec documents ${media.join(', ')}`,
    );
    return violations;
  }
  if (actual === 'application/json') {
    const json = parsedJson(res.body);
    if (!json.ok) return [...violations, `${operationName} ${res.statusCode} answered a body that is not JSON`];
    violations.push(...contractViolations(method, template, res.statusCode, json.value));
  }
  return violations;
}

/** What `fetchAndCheck` answers: the status, headers and the whole body, read once. */
export interface FetchedResponse {
  status: number;
  headers: Headers;
  body: Buffer;
  json: <T = any>() => T; // eslint-disable-line @typescript-eslint/no-explicit-any -- a parsed body, as inject's `json()`
}

/**
 * `fetch` over real HTTP (for what `inject` cannot show: a browser's FormData, streaming limits),
 * with the same check against the spec as `call`.
 */
export async function fetchAndCheck(url: string, init: RequestInit = {}): Promise<FetchedResponse> {
  const res = await fetch(url, init);
  const body = Buffer.from(await res.arrayBuffer());
  const { pathname, search } = new URL(url);
  expectContract({
    method: init.method ?? 'GET',
    url: `${pathname}${search}`,
    statusCode: res.status,
    headers: Object.fromEntries(res.headers),
    body,
  });
  return { status: res.status, headers: res.headers, body, json: <T>() => JSON.parse(body.toString('utf8')) as T };
}
