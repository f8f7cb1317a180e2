import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { isIPv4 } from 'node:net';
import type { FastifyRequest } from 'fastify';
import type { ProbesConfig } from '../../config/app-config';

/**
 * Who may see operator details (`/readiness` checks, `/metrics`), decided the same way by the API
 * and the worker. Only the TCP peer counts, never `X-Forwarded-For`: a request relayed by a proxy
 * on this machine (nginx, a tunnel) comes from loopback whoever sent it, so a request carrying any
 * forwarding header is never "from this machine", whatever TRUST_PROXY says.
 */
export interface ProbeCaller {
  /** The socket's peer address (not a forwarded one). */
  readonly remoteAddress: string | undefined;
  readonly headers: IncomingHttpHeaders;
}

const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'] as const;
/** RFC 7235: the scheme name is case-insensitive. */
const BEARER = /^bearer +([A-Za-z0-9._~+/=-]+) *$/i;

export const probeCallerOf = (request: IncomingMessage): ProbeCaller => ({
  remoteAddress: request.socket?.remoteAddress,
  headers: request.headers,
});

/** The caller of a Nest route, for probe controllers (client info stays out of `@Req()`). */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): ProbeCaller =>
  probeCallerOf(context.switchToHttp().getRequest<FastifyRequest>().raw),
);

export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.toLowerCase().startsWith('::ffff:') ? address.slice(7) : address;
  return address === '::1' || (isIPv4(v4) && v4.startsWith('127.'));
}

/** From this machine, directly: a loopback peer and no sign of a proxy in between. */
export function isLocalCaller(caller: ProbeCaller): boolean {
  return (
    isLoopbackAddress(caller.remoteAddress) && FORWARDING_HEADERS.every((name) => caller.headers[name] === undefined)
  );
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** `Authorization: Bearer <token>` with exactly `token`, compared in constant time. */
export function carriesToken(caller: ProbeCaller, token: string | undefined): boolean {
  if (token === undefined) return false;
  const header = caller.headers.authorization;
  const presented = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
  if (presented === undefined) return false;
  // Equal-length digests: neither the content nor the length of the token leaks through timing.
  return timingSafeEqual(digest(presented), digest(token));
}

/** Whether `/readiness` may show this caller its per-dependency checks (READINESS_DETAILS). */
export function readinessDetailsVisible(probes: ProbesConfig, caller: ProbeCaller): boolean {
  switch (probes.readinessDetails) {
    case 'always':
      return true;
    case 'never':
      return false;
    case 'token':
      return carriesToken(caller, probes.metricsToken);
    case 'loopback':
      return isLocalCaller(caller) || carriesToken(caller, probes.metricsToken);
  }
}

/** Whether this caller may scrape `/metrics`: anyone without METRICS_TOKEN, else only its holder. */
export function metricsAllowed(probes: ProbesConfig, caller: ProbeCaller): boolean {
  return probes.metricsToken === undefined || carriesToken(caller, probes.metricsToken);
}

export const METRICS_UNAUTHORIZED_MESSAGE = 'Send Authorization: Bearer <METRICS_TOKEN> to read the metrics';
/** RFC 6750: a 401 names the scheme it wants. */
export const METRICS_CHALLENGE = 'Bearer realm="metrics"';
