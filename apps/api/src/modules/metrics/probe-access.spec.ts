import type { ProbesConfig, ReadinessDetails } from '../../config/app-config';
import {
  carriesToken,
  isLocalCaller,
  isLoopbackAddress,
  metricsAllowed,
  type ProbeCaller,
  readinessDetailsVisible,
} from './probe-access';

const TOKEN = 'a-metrics-token-of-at-least-32-characters-0001';
const caller = (remoteAddress: string | undefined, headers: ProbeCaller['headers'] = {}): ProbeCaller => ({
  remoteAddress,
  headers,
});
const local = caller('127.0.0.1');
const remote = caller('10.1.2.3');
const remoteWithToken = caller('10.1.2.3', { authorization: `Bearer ${TOKEN}` });
/** `null`: METRICS_TOKEN unset. */
const probes = (readinessDetails: ReadinessDetails, metricsToken: string | null = TOKEN): ProbesConfig => ({
  readinessDetails,
  metricsToken: metricsToken ?? undefined,
});

describe('probe access', () => {
  it('counts IPv4 and IPv6 loopback peers as this machine, nothing else', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1', '::FFFF:127.0.0.1']) {
      expect(isLoopbackAddress(address)).toBe(true);
    }
    for (const address of [undefined, '', '10.0.0.1', '::ffff:10.0.0.1', '::2', 'fe80::1', '0.0.0.0', '128.0.0.1']) {
      expect(isLoopbackAddress(address)).toBe(false);
    }
  });

  it('never counts a relayed request as local: any forwarding header, whatever it says', () => {
    expect(isLocalCaller(local)).toBe(true);
    expect(isLocalCaller(caller('127.0.0.1', { 'x-forwarded-for': '127.0.0.1' }))).toBe(false);
    expect(isLocalCaller(caller('127.0.0.1', { forwarded: 'for=127.0.0.1' }))).toBe(false);
    expect(isLocalCaller(caller('127.0.0.1', { 'x-real-ip': '127.0.0.1' }))).toBe(false);
    // X-Forwarded-For never makes a remote caller local either.
    expect(isLocalCaller(caller('10.1.2.3', { 'x-forwarded-for': '127.0.0.1' }))).toBe(false);
  });

  it('accepts the exact token as a bearer token only (scheme case-insensitive)', () => {
    expect(carriesToken(remoteWithToken, TOKEN)).toBe(true);
    expect(carriesToken(caller('10.1.2.3', { authorization: `bearer ${TOKEN}` }), TOKEN)).toBe(true);
    for (const authorization of [TOKEN, `Basic ${TOKEN}`, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`, 'Bearer ']) {
      expect(carriesToken(caller('10.1.2.3', { authorization }), TOKEN)).toBe(false);
    }
    expect(carriesToken(remoteWithToken, undefined)).toBe(false);
  });

  it('READINESS_DETAILS: loopback (default) = this machine or the token; token; always; never', () => {
    const matrix = (mode: ReadinessDetails) =>
      [local, remote, remoteWithToken].map((c) => readinessDetailsVisible(probes(mode), c));
    expect(matrix('loopback')).toEqual([true, false, true]);
    expect(matrix('token')).toEqual([false, false, true]);
    expect(matrix('always')).toEqual([true, true, true]);
    expect(matrix('never')).toEqual([false, false, false]);
    // Without METRICS_TOKEN no header opens the details.
    expect(readinessDetailsVisible(probes('loopback', null), remoteWithToken)).toBe(false);
  });

  it('/metrics: open without METRICS_TOKEN, only for its bearer with it (loopback included)', () => {
    expect(metricsAllowed(probes('loopback', null), remote)).toBe(true);
    expect(metricsAllowed(probes('loopback'), local)).toBe(false);
    expect(metricsAllowed(probes('loopback'), remote)).toBe(false);
    expect(metricsAllowed(probes('loopback'), remoteWithToken)).toBe(true);
  });
});
