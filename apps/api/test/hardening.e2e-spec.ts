import type { AtriumApp } from '../src/bootstrap';
import { MAX_JSON_DEPTH } from '../src/common/http/bounded-json';
import { actors } from './support/actors';
import { startTestApp, TestResources } from './support/test-app';

/** What an unauthenticated client can make the server do before sign-in: little, and never a 500. */
describe('hardening before sign-in', () => {
  const resources = new TestResources();
  let atrium: AtriumApp;
  const { call, register } = actors(() => atrium);

  beforeAll(async () => {
    await resources.create();
    atrium = await startTestApp(resources);
  });

  afterAll(async () => {
    await atrium?.close();
    await resources.drop();
  });

  it('refuses a login body with tens of thousands of unknown fields at once, with a short error', async () => {
    // ~860 KB of fields on a route that takes 16 KB: refused by size before it is even parsed.
    const huge = JSON.stringify(Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`f${i}`, i])));
    const onAuth = await call('POST', '/api/v1/auth/login', {
      payload: huge,
      headers: { 'content-type': 'application/json' },
    });
    expect(onAuth.statusCode).toBe(413);
    expect(onAuth.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(onAuth.body.length).toBeLessThan(400);

    // Elsewhere the body fits the 1 MB limit, and the field count stops it before validation.
    const { token } = await register().then(async (account) => {
      const res = await call('POST', '/api/v1/auth/login', {
        body: { login: account.username, password: account.password },
      });
      return { token: res.json().data.accessToken as string };
    });
    const wide = await call('PATCH', '/api/v1/me', {
      token,
      payload: huge,
      headers: { 'content-type': 'application/json' },
    });
    expect(wide.statusCode).toBe(400);
    expect(wide.json().error.code).toBe('VALIDATION_ERROR');
    expect(wide.body.length).toBeLessThan(400);
  });

  it('refuses deeply nested JSON with 400, not 500', async () => {
    const deep = `{"login":${'['.repeat(MAX_JSON_DEPTH + 5)}${']'.repeat(MAX_JSON_DEPTH + 5)},"password":"x"}`;
    const res = await call('POST', '/api/v1/auth/login', {
      payload: deep,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_ERROR');
  });

  it('takes JSON only: a form on another site cannot sign anyone in (text/plain and form bodies get 415)', async () => {
    const account = await register();
    const asText = await call('POST', '/api/v1/auth/login', {
      payload: JSON.stringify({ login: account.username, password: account.password }),
      headers: { 'content-type': 'text/plain' },
    });
    expect(asText.statusCode).toBe(415);
    expect(asText.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const asForm = await call('POST', '/api/v1/auth/login', {
      payload: `login=${account.username}&password=${encodeURIComponent(account.password)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(asForm.statusCode).toBe(415);
    // The same request as JSON works.
    expect(
      (await call('POST', '/api/v1/auth/login', { body: { login: account.username, password: account.password } }))
        .statusCode,
    ).toBe(200);
  });

  it('answers a NUL byte with 400, in a body or in the URL, on sign-in, registration and profiles', async () => {
    const inLogin = await call('POST', '/api/v1/auth/login', { body: { login: 'ada\u0000', password: 'x' } });
    expect(inLogin.statusCode).toBe(400);
    const inRegister = await call('POST', '/api/v1/auth/register', {
      body: { email: 'nul@example.com', username: 'nul\u0000', password: 'copper meadow violin 58' },
    });
    expect(inRegister.statusCode).toBe(400);
    const inPath = await call('GET', '/api/v1/profiles/ada%00');
    expect(inPath.statusCode).toBe(400);
    expect(inPath.json().error.code).toBe('VALIDATION_ERROR');
  });

  it('refuses the refresh cookie when another site asked for the refresh', async () => {
    const account = await register();
    const login = await call('POST', '/api/v1/auth/login', {
      body: { login: account.username, password: account.password },
    });
    const cookie = login.cookies.find((c) => c.name === 'atrium_refresh')?.value as string;
    const refresh = (headers: Record<string, string>) =>
      call('POST', '/api/v1/auth/refresh', { body: {}, cookies: { atrium_refresh: cookie }, headers });
    expect((await refresh({ origin: 'https://evil.example' })).statusCode).toBe(403);
    expect((await refresh({ 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    // The app's own pages (and clients that send no Origin) are served.
    expect((await refresh({ origin: 'https://app.atrium.test', 'sec-fetch-site': 'same-origin' })).statusCode).toBe(
      200,
    );
  });
});
