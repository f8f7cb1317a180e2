import { vi } from 'vitest';

type Reply = { status: number; body: unknown; headers?: Record<string, string> } | 'network-error';
type Handler = (request: Request) => Reply;

/**
 * Replaces `globalThis.fetch` with a router over URL paths. Each handler is called per request,
 * with the request, so a test can change what the "server" answers between two calls (e.g.
 * before Retry) or answer by method and headers.
 */
export function mockApi(handlers: Record<string, Handler>) {
  const fetchMock = vi.fn((input: RequestInfo | URL): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input), window.location.origin);
    const handler = handlers[url.pathname];
    if (!handler) return json(404, { status: 'error', error: { code: 'NOT_FOUND', message: 'No route' } });
    const reply = handler(input instanceof Request ? input : new Request(url));
    if (reply === 'network-error') return Promise.reject(new TypeError('Failed to fetch'));
    return json(reply.status, reply.body, reply.headers);
  });
  vi.stubGlobal('fetch', fetchMock);

  /** The requests sent to `pathname`, oldest first: their method, headers and (unread) bodies. */
  const requestsTo = (pathname: string): Request[] =>
    fetchMock.mock.calls
      .map(([input]) => input)
      .filter((input): input is Request => input instanceof Request && new URL(input.url).pathname === pathname);

  const callsTo = (pathname: string) =>
    fetchMock.mock.calls.filter(([input]) => {
      const url = new URL(input instanceof Request ? input.url : String(input), window.location.origin);
      return url.pathname === pathname;
    }).length;

  return { fetchMock, callsTo, requestsTo };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const response = new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
  return Promise.resolve(response);
}
