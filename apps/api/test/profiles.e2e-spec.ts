import type { AtriumApp } from '../src/bootstrap';
import { startTestApp, TestResources } from './support/test-app';

const PASSWORD = 'copper meadow violin 58';

/** Public profiles revalidate cheaply (ETag → 304) and show a change at once. */
describe('public profiles over HTTP caching', () => {
  const resources = new TestResources();
  let atrium: AtriumApp;

  const inject = (
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    options: { payload?: object; headers?: Record<string, string> } = {},
  ) =>
    atrium.app
      .getHttpAdapter()
      .getInstance()
      .inject({ method, url, payload: options.payload, headers: options.headers });

  beforeAll(async () => {
    await resources.create();
    atrium = await startTestApp(resources);
  });

  afterAll(async () => {
    await atrium?.close();
    await resources.drop();
  });

  it('answers 304 to a matching If-None-Match, and a changed profile at once after an update', async () => {
    await inject('POST', '/api/v1/auth/register', {
      payload: { email: 'ada@example.com', username: 'ada', password: PASSWORD },
    });
    const login = await inject('POST', '/api/v1/auth/login', { payload: { login: 'ada', password: PASSWORD } });
    const token = login.json().data.accessToken as string;

    const first = await inject('GET', '/api/v1/profiles/ada');
    expect(first.statusCode).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/".+"$/);
    expect(first.headers['cache-control']).toMatch(/must-revalidate|no-cache/);

    const revalidated = await inject('GET', '/api/v1/profiles/ada', { headers: { 'if-none-match': etag } });
    expect(revalidated.statusCode).toBe(304);
    expect(revalidated.body).toBe('');

    const updated = await inject('PATCH', '/api/v1/me', {
      payload: { bio: 'Counting engines' },
      headers: { authorization: `Bearer ${token}` },
    });
    expect(updated.statusCode).toBe(200);

    const changed = await inject('GET', '/api/v1/profiles/ada', { headers: { 'if-none-match': etag } });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().data.bio).toBe('Counting engines');
    expect(changed.headers.etag).not.toBe(etag);
  });
});
