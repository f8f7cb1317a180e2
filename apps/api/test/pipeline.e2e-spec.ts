import { ErrorCode } from '@atrium/contracts';
import type { AtriumApp } from '../src/bootstrap';
import { apiClient } from './support/api';
import { PipelineFixturesModule, UncheckedInputFixturesModule } from './support/pipeline-fixtures.module';
import { startTestApp, TestResources } from './support/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** The opt-outs of this file: test-only routes and CORS preflights are not operations of the spec. */
const FIXTURE = 'a test-only fixture route (support/pipeline-fixtures.module.ts) that drives the global pipeline';
const PREFLIGHT = 'a CORS preflight, answered by the CORS plugin before any route';

describe('request pipeline', () => {
  const resources = new TestResources();
  let atrium: AtriumApp;
  const call = apiClient(() => atrium);

  beforeAll(async () => {
    await resources.create();
    atrium = await startTestApp(resources, {}, [PipelineFixturesModule]);
  });

  afterAll(async () => {
    await atrium?.close();
    await resources.drop();
  });

  describe('success envelope', () => {
    it('wraps data with the request id and a timestamp, as the spec documents', async () => {
      const res = await call('GET', '/api/v1/info', { headers: { 'x-request-id': 'client-req-1' } });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toEqual({
        status: 'success',
        data: {
          name: 'Atrium',
          siteName: null,
          version: atrium.config.version,
          mode: 'services',
          instance: { id: expect.stringMatching(UUID), installedAt: expect.stringMatching(ISO), bootCount: 1 },
        },
        meta: { requestId: 'client-req-1', timestamp: expect.stringMatching(ISO) },
      });
    });
  });

  describe('request id', () => {
    it('echoes a sane X-Request-ID in the header and the body', async () => {
      const res = await call('GET', '/api/v1/nope', { headers: { 'x-request-id': 'abc.DEF-123:4' } });
      expect(res.headers['x-request-id']).toBe('abc.DEF-123:4');
      expect(res.json().meta.requestId).toBe('abc.DEF-123:4');
    });

    it('generates a UUIDv7 when the client sends none', async () => {
      const res = await call('GET', '/api/v1/info');
      expect(res.headers['x-request-id']).toMatch(UUID);
      expect(res.json().meta.requestId).toBe(res.headers['x-request-id']);
    });

    it('replaces an id that could inject into logs or headers', async () => {
      const res = await call('GET', '/api/v1/info', {
        headers: { 'x-request-id': `bad id with spaces and {json} ${'x'.repeat(200)}` },
      });
      expect(res.headers['x-request-id']).toMatch(UUID);
    });
  });

  describe('error envelope', () => {
    it('answers an unknown route with 404 NOT_FOUND', async () => {
      const res = await call('GET', '/api/v1/nope', { headers: { 'x-request-id': 'nf-1' } });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json()).toEqual({
        status: 'error',
        error: { code: ErrorCode.NOT_FOUND, message: 'The requested resource was not found' },
        meta: { requestId: 'nf-1', timestamp: expect.stringMatching(ISO) },
      });
    });

    it('answers an unknown method on a known path with 405, Allow and the same envelope', async () => {
      const res = await call('DELETE', '/api/v1/info');
      expect(res.statusCode).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD');
      expect(res.json().error.code).toBe(ErrorCode.METHOD_NOT_ALLOWED);
    });

    it('refuses to start with a route that takes input no validation pipe checks', async () => {
      // Decision 129: the validation pipe is bound per parameter, so a body taken with Nest's own
      // `@Body()` would reach its handler unchecked; the start stops and names it instead.
      await expect(startTestApp(resources, {}, [UncheckedInputFixturesModule])).rejects.toThrow(
        'Input that no validation pipe checks: UncheckedInputController.echo: parameter 0 (@Body())',
      );
    });

    it('lists every invalid field with its own message and code', async () => {
      const res = await call('POST', '/api/v1/test-fixtures/echo', {
        outsideContract: FIXTURE,
        body: { email: 'not-an-email', age: '12', address: { city: 'x'.repeat(21) }, isAdmin: true },
      });
      expect(res.statusCode).toBe(400);
      const body = res.json();
      expect(body.status).toBe('error');
      expect(body.error.code).toBe(ErrorCode.VALIDATION_ERROR);
      expect(body.error.details).toEqual(
        expect.arrayContaining([
          { field: 'email', code: 'IS_EMAIL', message: 'email must be an email' },
          { field: 'age', code: 'IS_INT', message: 'age must be an integer number' },
          { field: 'address.city', code: 'MAX_LENGTH', message: expect.stringContaining('20') },
          { field: 'isAdmin', code: 'UNKNOWN_FIELD', message: 'property isAdmin should not exist' },
        ]),
      );
    });

    it('accepts a valid body and returns only the declared fields', async () => {
      const res = await call('POST', '/api/v1/test-fixtures/echo', {
        outsideContract: FIXTURE,
        body: { email: 'ada@example.com', age: 36, address: { city: 'London' } },
      });
      expect(res.statusCode).toBe(201);
      expect(res.json().data).toEqual({ email: 'ada@example.com', age: 36, address: { city: 'London' } });
    });

    it('rejects malformed JSON with VALIDATION_ERROR', async () => {
      const res = await call('POST', '/api/v1/test-fixtures/echo', {
        outsideContract: FIXTURE,
        headers: { 'content-type': 'application/json', 'x-request-id': 'bad-json' },
        payload: '{"email": "a@b.c", ',
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({
        status: 'error',
        error: { code: ErrorCode.VALIDATION_ERROR, message: 'Request body is not valid JSON' },
        meta: { requestId: 'bad-json', timestamp: expect.stringMatching(ISO) },
      });
    });

    it('rejects a body over the 1 MB limit with 413 PAYLOAD_TOO_LARGE', async () => {
      const res = await call('POST', '/api/v1/test-fixtures/echo', {
        outsideContract: FIXTURE,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ email: 'a@b.co', age: 20, padding: 'x'.repeat(1_100_000) }),
      });
      expect(res.statusCode).toBe(413);
      expect(res.json().error).toEqual({
        code: ErrorCode.PAYLOAD_TOO_LARGE,
        message: 'Request body is larger than the server accepts',
      });
    });

    it('rejects a content type the API does not speak with 415', async () => {
      const res = await call('POST', '/api/v1/test-fixtures/echo', {
        outsideContract: FIXTURE,
        headers: { 'content-type': 'application/xml' },
        payload: '<signup/>',
      });
      expect(res.statusCode).toBe(415);
      expect(res.json().error.code).toBe(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
    });

    it('turns an unhandled error into a 500 that discloses only the request id', async () => {
      const res = await call('GET', '/api/v1/test-fixtures/boom', {
        outsideContract: FIXTURE,
        headers: { 'x-request-id': 'boom-1' },
      });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({
        status: 'error',
        error: { code: ErrorCode.INTERNAL_ERROR, message: 'An unexpected error occurred' },
        meta: { requestId: 'boom-1', timestamp: expect.stringMatching(ISO) },
      });
      expect(res.body).not.toMatch(/ECONNREFUSED|SELECT|password|at \w+ \(/);
    });
  });

  describe('security headers', () => {
    it('sends CSP, HSTS, frame denial, nosniff and a referrer policy on API responses', async () => {
      const res = await call('GET', '/api/v1/info');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-powered-by']).toBeUndefined();
    });

    it('sends them on errors too', async () => {
      const res = await call('GET', '/api/v1/nope');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    });
  });

  describe('CORS', () => {
    it('allows a configured origin, with credentials', async () => {
      const res = await call('GET', '/api/v1/info', { headers: { origin: 'https://app.atrium.test' } });
      expect(res.headers['access-control-allow-origin']).toBe('https://app.atrium.test');
      expect(res.headers['access-control-allow-credentials']).toBe('true');
      expect(res.headers['access-control-expose-headers']).toContain('X-Request-ID');
      expect(res.headers['access-control-expose-headers']).toContain('ETag');
    });

    it('answers a preflight from a configured origin', async () => {
      const res = await call('OPTIONS', '/api/v1/test-fixtures/echo', {
        outsideContract: PREFLIGHT,
        headers: {
          origin: 'https://app.atrium.test',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,authorization',
        },
      });
      expect(res.statusCode).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe('https://app.atrium.test');
      expect(res.headers['access-control-allow-methods']).toContain('POST');
    });

    it('gives an unlisted origin no CORS grant, so browsers block the response', async () => {
      const simple = await call('GET', '/api/v1/info', { headers: { origin: 'https://evil.example' } });
      expect(simple.headers['access-control-allow-origin']).toBeUndefined();
      const preflight = await call('OPTIONS', '/api/v1/test-fixtures/echo', {
        outsideContract: PREFLIGHT,
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    });
  });
});

describe('rate limiting', () => {
  const resources = new TestResources();
  let atrium: AtriumApp;
  const call = apiClient(() => atrium);

  beforeAll(async () => {
    await resources.create();
    atrium = await startTestApp(resources, { THROTTLE_LIMIT: '3', THROTTLE_TTL: '60' });
  });

  afterAll(async () => {
    await atrium?.close();
    await resources.drop();
  });

  it('answers 429 RATE_LIMITED with Retry-After past the limit, counting in Redis', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await call('GET', '/api/v1/info')).statusCode);
    expect(statuses).toEqual([200, 200, 200]);

    const limited = await call('GET', '/api/v1/info', { headers: { 'x-request-id': 'rl-1' } });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json()).toEqual({
      status: 'error',
      error: { code: ErrorCode.RATE_LIMITED, message: expect.any(String) },
      meta: { requestId: 'rl-1', timestamp: expect.any(String) },
    });
    // Shared by every replica: the counters live under this file's Redis prefix.
    expect(await resources.redisKeys()).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^${resources.redisPrefix}throttle:default:`))]),
    );
  });

  it('never throttles the probes', async () => {
    for (let i = 0; i < 6; i++) {
      expect((await call('GET', '/health')).statusCode).toBe(200);
      expect((await call('GET', '/readiness')).statusCode).toBe(200);
    }
  });
});
