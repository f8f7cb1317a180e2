import { expectContract, responseViolations, type SeenResponse, specPathOf } from './api';

/**
 * The harness's own check: `call` is only worth something if a response the spec does not
 * describe really fails. These answers are made up; no app runs.
 */
const json = (value: unknown): Pick<SeenResponse, 'headers' | 'body'> => ({
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify(value),
});
const meta = { requestId: 'r-1', timestamp: '2026-01-01T00:00:00.000Z' };
const envelope = (code: string) => json({ status: 'error', error: { code, message: 'No' }, meta });
const seen = (method: string, url: string, statusCode: number, rest: Pick<SeenResponse, 'headers' | 'body'>) => ({
  method,
  url,
  statusCode,
  ...rest,
});

describe('the spec check of every response', () => {
  it('finds the templated path of a concrete one, literal segments first, without the query', () => {
    expect(specPathOf('/api/v1/users/0190f0d2-0000-7000-8000-000000000001')).toBe('/api/v1/users/{id}');
    expect(specPathOf('/api/v1/users/abc/roles?x=1')).toBe('/api/v1/users/{id}/roles');
    expect(specPathOf('/api/v1/auth/sessions')).toBe('/api/v1/auth/sessions');
    expect(specPathOf('/api/v1/admin/queues/mail/jobs/7/retry')).toBe('/api/v1/admin/queues/{name}/jobs/{id}/retry');
    expect(specPathOf('/api/v1/users/a/b/c')).toBeUndefined();
  });

  it('accepts a documented answer whose body matches the schema', () => {
    const body = { status: 'success', data: { accessToken: 'x', tokenType: 'Bearer', expiresIn: 900 }, meta };
    const res = seen('POST', '/api/v1/auth/login', 200, json(body));
    // The user is missing: the schema requires it.
    expect(responseViolations(res)).toEqual([expect.stringContaining("must have required property 'user'")]);
    expect(responseViolations(seen('POST', '/api/v1/auth/login', 401, envelope('UNAUTHENTICATED')))).toEqual([]);
  });

  it('refuses a status the operation does not document', () => {
    expect(responseViolations(seen('GET', '/api/v1/auth/me', 418, envelope('TEAPOT')))).toEqual([
      expect.stringMatching(/^GET \/api\/v1\/auth\/me does not document status 418/),
    ]);
  });

  it('checks non-JSON answers by status, content type and documented headers', () => {
    const metrics = { headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }, body: '# HELP x\n' };
    expect(responseViolations(seen('GET', '/metrics', 200, metrics))).toEqual([]);
    expect(responseViolations(seen('GET', '/metrics', 204, metrics))).toEqual([
      expect.stringContaining('does not document status 204'),
    ]);
    const image = {
      'content-type': 'image/webp',
      'cache-control': 'public, max-age=31536000, immutable',
      'content-security-policy': "default-src 'none'",
      'x-content-type-options': 'nosniff',
    };
    const key = '0'.repeat(32);
    expect(responseViolations(seen('GET', `/api/v1/avatars/${key}`, 200, { headers: image, body: 'RIFF' }))).toEqual(
      [],
    );
    const { 'cache-control': _dropped, ...uncached } = image;
    expect(responseViolations(seen('GET', `/api/v1/avatars/${key}`, 200, { headers: uncached, body: 'RIFF' }))).toEqual(
      [expect.stringContaining('documents the header Cache-Control, which is missing')],
    );
    expect(responseViolations(seen('GET', `/api/v1/avatars/${key}`, 200, json({ data: 1 })))).toContainEqual(
      expect.stringContaining('answered content-type application/json; the spec documents image/webp'),
    );
  });

  it('lets a route the spec does not list answer only the 404 envelope', () => {
    expect(responseViolations(seen('GET', '/api/v1/nope', 404, envelope('NOT_FOUND')))).toEqual([]);
    expect(responseViolations(seen('DELETE', '/api/v1/info', 200, json({ ok: true })))).toEqual([
      expect.stringContaining('is not an operation of the spec, yet it answered 200'),
    ]);
    expect(responseViolations(seen('GET', '/api/v1/nope', 404, json({ message: 'Not Found' })))).not.toEqual([]);
  });

  it('leaves the SPA and Swagger UI their own answers, but their errors are the error envelope', () => {
    const html = { headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<!doctype html>' };
    expect(responseViolations(seen('GET', '/settings/profile', 200, html))).toEqual([]);
    expect(responseViolations(seen('GET', '/missing.png', 404, envelope('NOT_FOUND')))).toEqual([]);
    expect(responseViolations(seen('GET', '/missing.png', 404, html))).toEqual([
      expect.stringContaining('must be the JSON error envelope'),
    ]);
  });

  it('has one opt-out, which needs a reason and still holds errors to the envelope', () => {
    const fixture = seen('POST', '/api/v1/test-fixtures/echo', 201, json({ anything: true }));
    expect(responseViolations(fixture)).not.toEqual([]);
    expect(responseViolations(fixture, 'a test-only route')).toEqual([]);
    expect(responseViolations(fixture, ' ')).toEqual(['outsideContract needs a reason']);
    expect(responseViolations(seen('POST', '/api/v1/test-fixtures/echo', 400, json({})), 'fixture')).not.toEqual([]);
    expect(responseViolations(seen('OPTIONS', '/api/v1/info', 204, { headers: {}, body: '' }))).toEqual([
      expect.stringContaining('pass outsideContract'),
    ]);
  });

  it('fails the test with the method, path, status, violations and body', () => {
    expect(() => expectContract(seen('GET', '/api/v1/auth/me?x=1', 418, envelope('TEAPOT')))).toThrow(
      /GET \/api\/v1\/auth\/me\?x=1 → 418 does not match the committed spec[\s\S]*does not document status 418[\s\S]*TEAPOT/,
    );
  });
});
