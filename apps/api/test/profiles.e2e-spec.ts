import type { AtriumApp } from '../src/bootstrap';
import { actors } from './support/actors';
import { startTestApp, TestResources } from './support/test-app';

/** Public profiles revalidate cheaply (ETag → 304) and show a change at once. */
describe('public profiles over HTTP caching', () => {
  const resources = new TestResources();
  let atrium: AtriumApp;
  const { call, signedIn } = actors(() => atrium);

  beforeAll(async () => {
    await resources.create();
    atrium = await startTestApp(resources);
  });

  afterAll(async () => {
    await atrium?.close();
    await resources.drop();
  });

  it('answers 304 to a matching If-None-Match, and a changed profile at once after an update', async () => {
    const ada = await signedIn();
    const path = `/api/v1/profiles/${ada.username}`;

    const first = await call('GET', path);
    expect(first.statusCode).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/".+"$/);
    expect(first.headers['cache-control']).toMatch(/must-revalidate|no-cache/);

    const revalidated = await call('GET', path, { headers: { 'if-none-match': etag } });
    expect(revalidated.statusCode).toBe(304);
    expect(revalidated.body).toBe('');

    const updated = await call('PATCH', '/api/v1/me', { token: ada.token, body: { bio: 'Counting engines' } });
    expect(updated.statusCode).toBe(200);

    const changed = await call('GET', path, { headers: { 'if-none-match': etag } });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().data.bio).toBe('Counting engines');
    expect(changed.headers.etag).not.toBe(etag);
  });
});
