import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../../config/app-config';
import { Errors } from './errors';

/**
 * For routes a browser authenticates with a cookie (the refresh cookie): refuses a request that a
 * page on another site made. Browsers send `Origin` on cross-site POSTs and `Sec-Fetch-Site` on
 * every request; non-browser clients send neither and are not affected. The cookie is also
 * SameSite=Strict and bodies are JSON only — this is the third, explicit line.
 */
export function assertSameOrigin(request: FastifyRequest, config: AppConfig): void {
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site') throw Errors.forbidden('Cross-site request refused');
  const origin = request.headers.origin;
  if (origin === undefined) return;
  const allowed = new Set([new URL(config.appUrl).origin, ...config.corsOrigins]);
  if (!allowed.has(origin)) throw Errors.forbidden('Cross-site request refused');
}
