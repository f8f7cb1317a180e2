import { Agent, type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { responseViolations } from '../../test/support/api';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestSpec {
  method: HttpMethod;
  path: string;
  /** `Authorization: Bearer …` */
  token?: string;
  /** A JSON body. */
  body?: unknown;
  headers?: Record<string, string>;
  /** A label for reports ("me", "register" …); the path by default. */
  label?: string;
  /** Why the answer is not checked against the committed spec (see `outsideContract` in test/support/api.ts). */
  outsideContract?: string;
}

/** What happened to one request: an answer, or a network error. */
export interface Outcome {
  target: string;
  label: string;
  method: HttpMethod;
  path: string;
  /** The `X-Request-ID` it was sent with, if any (the replica's access log names it). */
  requestId?: string;
  /** When it was sent (epoch ms) and how long until the answer (or the error). */
  start: number;
  ms: number;
  /**
   * When the answer (or the error) came, read off the same clock as `start` and as the servers'
   * log lines (epoch ms). Comparing it with a log line's time is exact to the millisecond in both
   * directions; `start + ms` is not (`start` is truncated, `ms` comes from another clock).
   */
  end: number;
  status?: number;
  headers?: IncomingHttpHeaders;
  body?: Buffer;
  /** `error.code` of the JSON error envelope, when the answer is one. */
  code?: string;
  /** A network error instead of an answer: ECONNREFUSED, ECONNRESET, EPIPE, TIMEOUT … */
  error?: string;
  /** Sent on a kept-alive connection that had carried an earlier request. */
  reusedSocket: boolean;
  /** What is wrong with the answer according to the committed spec. */
  violations: string[];
}

/** Errors that mean an accepted connection was dropped under a request (not a refused connect). */
export const RESET_ERRORS = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'HPE_INVALID_CONSTANT', 'SOCKET_HANG_UP']);

export class HttpError extends Error {}

/** A parsed answer of a single call. */
export class Answer {
  constructor(readonly outcome: Outcome) {}

  get status(): number {
    return this.outcome.status ?? 0;
  }

  get headers(): IncomingHttpHeaders {
    return this.outcome.headers ?? {};
  }

  get text(): string {
    return this.outcome.body?.toString('utf8') ?? '';
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a parsed JSON body, as inject's `json()`
  json<T = any>(): T {
    return JSON.parse(this.text) as T;
  }

  /** `error.code` of an error envelope. */
  get code(): string | undefined {
    return this.outcome.code;
  }

  /** A one-line description for assertion messages. */
  describe(): string {
    return describeOutcome(this.outcome);
  }
}

export function describeOutcome(o: Outcome): string {
  const what = o.error ?? `${o.status}${o.code ? ` ${o.code}` : ''}`;
  const body = o.body && o.status !== undefined && o.status >= 400 ? ` ${o.body.toString('utf8').slice(0, 200)}` : '';
  return `${o.method} ${o.target}${o.path} → ${what} in ${Math.round(o.ms)} ms${body}`;
}

/**
 * Real HTTP/1.1 to one server over a keep-alive agent (as a load balancer or a browser talks to
 * it). Every answer is checked against the committed OpenAPI spec, like the e2e suite's `call`.
 */
export class HttpClient {
  readonly agent: Agent;

  constructor(
    /** A name for reports: "A", "B", "worker". */
    readonly name: string,
    readonly port: number,
    readonly host = '127.0.0.1',
    options: { maxSockets?: number; checkContract?: boolean } = {},
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 64, keepAliveMsecs: 1000 });
    this.checkContract = options.checkContract ?? true;
  }

  /** Whether answers are checked against the committed spec (not for the worker's own probes). */
  private readonly checkContract: boolean;

  get base(): string {
    return `http://${this.host}:${this.port}`;
  }

  /** Sends one request; never throws: network errors are outcomes too. */
  send(spec: RequestSpec, timeoutMs = 15_000): Promise<Outcome> {
    const payload = spec.body === undefined ? undefined : Buffer.from(JSON.stringify(spec.body));
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...(spec.token ? { authorization: `Bearer ${spec.token}` } : {}),
      ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
      ...spec.headers,
    };
    const start = Date.now();
    const started = performance.now();
    const base = {
      target: this.name,
      label: spec.label ?? spec.path.split('?')[0],
      method: spec.method,
      path: spec.path,
      requestId: spec.headers?.['x-request-id'],
      start,
    };
    return new Promise<Outcome>((resolve) => {
      let settled = false;
      let reusedSocket = false;
      const finish = (rest: Partial<Outcome>): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ ...base, ms: performance.now() - started, end: Date.now(), reusedSocket, violations: [], ...rest });
      };
      const req = httpRequest(
        { host: this.host, port: this.port, method: spec.method, path: spec.path, headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', (error: NodeJS.ErrnoException) => finish({ error: errorCode(error) }));
          res.on('end', () => {
            const body = Buffer.concat(chunks);
            const status = res.statusCode ?? 0;
            finish({
              status,
              headers: res.headers,
              body,
              code: status >= 400 ? errorCodeOf(body) : undefined,
              violations: this.checkContract
                ? responseViolations(
                    { method: spec.method, url: spec.path, statusCode: status, headers: res.headers, body },
                    spec.outsideContract,
                  )
                : [],
            });
          });
        },
      );
      const timer = setTimeout(() => {
        finish({ error: 'TIMEOUT' });
        req.destroy();
      }, timeoutMs);
      req.on('socket', () => {
        reusedSocket = req.reusedSocket;
      });
      req.on('error', (error: NodeJS.ErrnoException) => finish({ error: errorCode(error) }));
      req.end(payload);
    });
  }

  /**
   * One request that must get an answer which the spec documents: throws on a network error or a
   * contract violation (the status itself is the caller's to assert).
   */
  async call(spec: RequestSpec, timeoutMs = 15_000): Promise<Answer> {
    const outcome = await this.send(spec, timeoutMs);
    if (outcome.error) throw new HttpError(`${describeOutcome(outcome)} (no answer)`);
    if (outcome.violations.length > 0) {
      throw new HttpError(
        [
          `${describeOutcome(outcome)} does not match the committed spec (apps/api/openapi.json):`,
          ...outcome.violations.map((v) => `  - ${v}`),
          `  body: ${outcome.body?.toString('utf8').slice(0, 400) ?? ''}`,
        ].join('\n'),
      );
    }
    return new Answer(outcome);
  }

  get = (path: string, options: Omit<RequestSpec, 'method' | 'path'> = {}): Promise<Answer> =>
    this.call({ method: 'GET', path, ...options });

  post = (path: string, body?: unknown, options: Omit<RequestSpec, 'method' | 'path' | 'body'> = {}): Promise<Answer> =>
    this.call({ method: 'POST', path, body, ...options });

  put = (path: string, body?: unknown, options: Omit<RequestSpec, 'method' | 'path' | 'body'> = {}): Promise<Answer> =>
    this.call({ method: 'PUT', path, body, ...options });

  patch = (
    path: string,
    body?: unknown,
    options: Omit<RequestSpec, 'method' | 'path' | 'body'> = {},
  ): Promise<Answer> => this.call({ method: 'PATCH', path, body, ...options });

  /** Drops the kept-alive connections (e.g. after the server restarted). */
  reset(): void {
    this.agent.destroy();
  }
}

function errorCode(error: NodeJS.ErrnoException): string {
  if (error.code) return error.code;
  if (/socket hang up/i.test(error.message)) return 'SOCKET_HANG_UP';
  return error.message;
}

function errorCodeOf(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { error?: { code?: unknown } };
    return typeof parsed.error?.code === 'string' ? parsed.error.code : undefined;
  } catch {
    return undefined;
  }
}
