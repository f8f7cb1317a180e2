import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../../config/app-config';
import { Errors } from './errors';

/** The names of this machine's loopback interface, as they appear in an origin. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * For routes a browser authenticates with a cookie (the refresh cookie): refuses a request that a
 * page on another site made. Browsers send `Origin` on cross-site POSTs and `Sec-Fetch-Site` on
 * every request; non-browser clients send neither and are not affected. The cookie is also
 * SameSite=Strict and bodies are JSON only — this is the third, explicit line.
 *
 * An `APP_URL` on the loopback interface (`http://localhost:3000`, the default) also admits its
 * other loopback names with the same scheme and port: a newcomer who opens
 * `http://127.0.0.1:3000` reaches the same server, and no other site can be served there.
 */
export function assertSameOrigin(request: FastifyRequest, config: AppConfig): void {
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site') throw Errors.forbidden('Cross-site request refused');
  const origin = request.headers.origin;
  if (origin === undefined) return;
  const allowed = [new URL(config.appUrl).origin, ...config.corsOrigins];
  if (!allowed.some((own) => own === origin || loopbackAliases(own, origin))) {
    throw Errors.forbidden('Cross-site request refused');
  }
}

/** Whether two origins are the same loopback server under two of its names (scheme and port alike). */
function loopbackAliases(own: string, origin: string): boolean {
  let a: URL;
  let b: URL;
  try {
    a = new URL(own);
    b = new URL(origin);
  } catch {
    return false;
  }
  return (
    LOOPBACK_HOSTS.has(a.hostname) &&
    LOOPBACK_HOSTS.has(b.hostname) &&
    a.protocol === b.protocol &&
    a.port === b.port &&
    b.origin === origin
  );
}
