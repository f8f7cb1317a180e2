import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../../config/app-config';
import { assertSameOrigin } from './same-origin';

const request = (headers: Record<string, string>) => ({ headers }) as unknown as FastifyRequest;
const config = (appUrl: string, corsOrigins: string[] = []) => ({ appUrl, corsOrigins }) as unknown as AppConfig;
const verdict = (appUrl: string, origin: string): 'served' | 'refused' => {
  try {
    assertSameOrigin(request({ origin, 'sec-fetch-site': 'same-origin' }), config(appUrl));
    return 'served';
  } catch {
    return 'refused';
  }
};

describe('assertSameOrigin', () => {
  it("serves APP_URL's own origin and the CORS origins, and refuses another site", () => {
    expect(verdict('https://app.atrium.test/atrium', 'https://app.atrium.test')).toBe('served');
    expect(verdict('https://app.atrium.test', 'https://evil.example')).toBe('refused');
    expect(() =>
      assertSameOrigin(
        request({ origin: 'https://admin.atrium.test' }),
        config('https://app.atrium.test', ['https://admin.atrium.test']),
      ),
    ).not.toThrow();
    expect(() =>
      assertSameOrigin(request({ 'sec-fetch-site': 'cross-site' }), config('http://localhost:3000')),
    ).toThrow('Cross-site request refused');
  });

  it('serves a loopback APP_URL under its other loopback names, same scheme and port only', () => {
    // A newcomer who opens http://127.0.0.1:3000 while APP_URL is http://localhost:3000 (the default)
    // stays signed in when the page reloads.
    expect(verdict('http://localhost:3000', 'http://127.0.0.1:3000')).toBe('served');
    expect(verdict('http://localhost:3000', 'http://[::1]:3000')).toBe('served');
    expect(verdict('http://127.0.0.1:3000', 'http://localhost:3000')).toBe('served');
    expect(verdict('http://localhost:3000', 'http://127.0.0.1:3001')).toBe('refused');
    expect(verdict('http://localhost:3000', 'https://127.0.0.1:3000')).toBe('refused');
    expect(verdict('http://localhost:3000', 'http://127.0.0.2:3000')).toBe('refused');
    expect(verdict('http://localhost:3000', 'http://127.0.0.1:3000/path')).toBe('refused');
    // A public APP_URL admits no loopback name.
    expect(verdict('https://app.atrium.test', 'http://localhost')).toBe('refused');
  });
});
