import { ErrorCode } from '@atrium/contracts';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AtriumApp } from '../src/bootstrap';
import { apiClient } from './support/api';
import { startTestApp, TestResources } from './support/test-app';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const INDEX_HTML =
  '<!doctype html><html><head><title>Atrium SPA fixture</title>' +
  '<script type="module" src="/assets/app-abc123.js"></script></head><body><div id="root"></div></body></html>';
const APP_JS = 'console.log("atrium spa fixture");\n';
const FAVICON_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>';

describe('SPA delivery', () => {
  const resources = new TestResources();
  let spaDir: string;
  let atrium: AtriumApp;

  const call = apiClient(() => atrium);
  const get = (url: string, requestId?: string) =>
    call('GET', url, { headers: requestId ? { 'x-request-id': requestId } : {} });

  /** The JSON 404 envelope, never index.html, with the request id in the header and the body. */
  const expectJsonNotFound = async (url: string) => {
    const res = await get(url, 'spa-404');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['x-request-id']).toBe('spa-404');
    expect(res.body).not.toContain('Atrium SPA fixture');
    expect(res.json()).toEqual({
      status: 'error',
      error: { code: ErrorCode.NOT_FOUND, message: expect.any(String) },
      meta: { requestId: 'spa-404', timestamp: expect.stringMatching(ISO) },
    });
  };

  beforeAll(async () => {
    spaDir = await mkdtemp(join(tmpdir(), 'atrium-spa-'));
    await mkdir(join(spaDir, 'assets'));
    await writeFile(join(spaDir, 'index.html'), INDEX_HTML);
    await writeFile(join(spaDir, 'assets', 'app-abc123.js'), APP_JS);
    await writeFile(join(spaDir, 'favicon.svg'), FAVICON_SVG);
    await resources.create();
    atrium = await startTestApp(resources, { SERVE_SPA: 'true', SPA_DIR: spaDir });
  });

  afterAll(async () => {
    await atrium?.close();
    await resources.drop();
    await rm(spaDir, { recursive: true, force: true });
  });

  it('serves index.html at / with no-cache, the CSP and a request id', async () => {
    const res = await get('/', 'spa-root');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['x-request-id']).toBe('spa-root');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.body).toBe(INDEX_HTML);
  });

  it('falls back to index.html for client-side routes (history API)', async () => {
    // A dot in the last segment (a username) is still an app route; only file types are 404s.
    for (const url of ['/posts/some-slug', '/settings/profile?tab=security', '/login', '/users/jane.doe']) {
      const res = await get(url, 'spa-route');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['x-request-id']).toBe('spa-route');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.body).toBe(INDEX_HTML);
    }
  });

  it('serves hashed assets as immutable for a year', async () => {
    const res = await get('/assets/app-abc123.js', 'spa-asset');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['x-request-id']).toBe('spa-asset');
    expect(res.body).toBe(APP_JS);
  });

  it('serves other root files without long-term caching', async () => {
    const res = await get('/favicon.svg', 'spa-favicon');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['x-request-id']).toBe('spa-favicon');
    expect(res.body).toBe(FAVICON_SVG);

    const index = await get('/index.html');
    expect(index.statusCode).toBe(200);
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.body).toBe(INDEX_HTML);
  });

  it('answers a missing file with the JSON 404 envelope, not index.html', async () => {
    await expectJsonNotFound('/missing.png');
    await expectJsonNotFound('/assets/app-000000.js');
  });

  it('never answers unknown API or docs routes with the SPA', async () => {
    await expectJsonNotFound('/api/v1/nope');
    await expectJsonNotFound('/api/v1');
    await expectJsonNotFound('/docs/nope');
    await expectJsonNotFound('/reference/nope');
  });

  it('keeps the probes and the API as JSON', async () => {
    const health = await get('/health', 'spa-health');
    expect(health.statusCode).toBe(200);
    expect(health.headers['content-type']).toMatch(/^application\/json/);
    expect(health.headers['x-request-id']).toBe('spa-health');
    expect(health.json()).toEqual(expect.objectContaining({ status: 'healthy', service: 'atrium-api' }));

    const info = await get('/api/v1/info', 'spa-info');
    expect(info.statusCode).toBe(200);
    expect(info.json()).toEqual(
      expect.objectContaining({ status: 'success', meta: expect.objectContaining({ requestId: 'spa-info' }) }),
    );

    const docs = await get('/docs');
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger-ui');
    expect(docs.body).not.toContain('Atrium SPA fixture');
  });
});
