import { Agent, get, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { AtriumApp } from '../src/bootstrap';
import { expectContract } from './support/api';
import { PipelineFixturesModule } from './support/pipeline-fixtures.module';
import { startTestApp, TestResources } from './support/test-app';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const SLOW_MS = 1500;
const SLOW_PATH = '/api/v1/test-fixtures/slow';

interface ClientResponse {
  status: number;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/** Resolves once the server has parsed a request for `path` (it is in flight), with its raw response. */
function nextRequest(server: Server, path: string): Promise<ServerResponse> {
  return new Promise((resolve) => {
    const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
      if (!req.url?.startsWith(path)) return;
      server.off('request', onRequest);
      resolve(res);
    };
    server.on('request', onRequest);
  });
}

/** A real HTTP GET over TCP; `agent` decides whether the connection is kept alive afterwards. */
function httpGet(port: number, path: string, requestId: string, agent: Agent | false): Promise<ClientResponse> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path, agent, headers: { 'x-request-id': requestId } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        try {
          const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    });
    req.on('error', reject);
  });
}

/** Polls (without asserting on time) until the server has stopped listening. */
async function untilNotListening(server: Server): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (server.listening && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** Opens a plain TCP connection: resolves 'connected' or the error code. */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/**
 * Starts a slow request, calls `close()` while the server is handling it, and checks that the
 * request finishes in full, that `close()` resolves only after it, and that the port is refused
 * from the moment the listener is gone.
 */
async function shutDownDuringRequest(agent: Agent | false, requestId: string): Promise<void> {
  const resources = new TestResources();
  await resources.create();
  let atrium: AtriumApp | undefined;
  try {
    atrium = await startTestApp(resources, {}, [PipelineFixturesModule]);
    await atrium.app.listen({ port: 0, host: '127.0.0.1' });
    const server = atrium.app.getHttpServer();
    const { port } = server.address() as AddressInfo;

    const events: string[] = [];
    const inFlight = nextRequest(server, SLOW_PATH);
    const pending = httpGet(port, `${SLOW_PATH}?ms=${SLOW_MS}`, requestId, agent);
    (await inFlight).once('finish', () => events.push('in-flight response sent'));

    const closed = atrium.close().then(() => events.push('close() resolved'));

    // Draining: the listener is gone, so a load balancer's next connection is refused, not queued.
    await untilNotListening(server);
    expect(server.listening).toBe(false);
    expect(await tryConnect(port)).toBe('ECONNREFUSED');

    const res = await pending;
    // Over real TCP (inject cannot show a shutdown), to a test-only route: checked like `call` does.
    expectContract(
      {
        method: 'GET',
        url: SLOW_PATH,
        statusCode: res.status,
        headers: res.headers,
        body: JSON.stringify(res.body),
      },
      'a test-only fixture route (support/pipeline-fixtures.module.ts) that holds a request open',
    );
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBe(requestId);
    // The server is going away: it tells a keep-alive client not to reuse the connection, which
    // also lets close() finish instead of waiting for the idle connection to time out.
    expect(res.headers.connection).toBe('close');
    expect(res.body).toEqual({
      status: 'success',
      data: { waitedMs: SLOW_MS },
      meta: { requestId, timestamp: expect.stringMatching(ISO) },
    });

    await closed;
    expect(events).toEqual(['in-flight response sent', 'close() resolved']);
    // After shutdown nothing answers on the port any more.
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
  } finally {
    // A connection the client still holds would keep close() waiting; release it before cleaning up.
    if (agent) agent.destroy();
    await atrium?.close();
    await resources.drop();
  }
}

describe('graceful shutdown', () => {
  it('finishes an in-flight request (one request per connection) before close() resolves', async () => {
    await shutDownDuringRequest(false, 'drain-close-1');
  });

  it('finishes an in-flight request on a keep-alive connection before close() resolves, without waiting for the connection to time out', async () => {
    // Browsers, reverse proxies and fetch() keep connections open between requests.
    await shutDownDuringRequest(new Agent({ keepAlive: true }), 'drain-keepalive-1');
  });
});
