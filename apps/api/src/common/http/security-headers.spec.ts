import helmet from 'helmet';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { CONTENT_SECURITY_POLICY } from '../../bootstrap';
import { securityHeaders } from './security-headers';

describe('security headers computed once', () => {
  const options = {
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    frameguard: { action: 'deny' as const },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    referrerPolicy: { policy: 'no-referrer' as const },
    crossOriginEmbedderPolicy: false,
  };

  it('are exactly the headers helmet sets on a real response', () => {
    const request = new IncomingMessage(new Socket());
    const response = new ServerResponse(request);
    response.setHeader('X-Powered-By', 'something');
    helmet(options)(request, response, () => undefined);
    const expected = Object.fromEntries(
      Object.entries(response.getHeaders()).map(([name, value]) => [name, String(value)]),
    );
    expect(securityHeaders(options)).toEqual(expected);
    expect(expected['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(expected['x-frame-options']).toBe('DENY');
  });
});
