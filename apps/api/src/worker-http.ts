import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorCode } from '@atrium/contracts';
import { requestIdFor } from './common/http/request-id';
import type { AppConfig } from './config/app-config';
import type { MetricsService } from './modules/metrics/metrics.service';
import {
  METRICS_CHALLENGE,
  METRICS_UNAUTHORIZED_MESSAGE,
  metricsAllowed,
  probeCallerOf,
  readinessDetailsVisible,
} from './modules/metrics/probe-access';

/** What the worker's readiness reports: each dependency it cannot work without. */
export interface WorkerReadiness {
  status: 'ready' | 'not_ready';
  checks: Record<string, { status: 'up' | 'down'; latencyMs: number; error?: string }>;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * The worker's only HTTP surface, for the orchestrator and Prometheus: `GET /health` (liveness),
 * `GET /readiness` (Postgres, Redis and the job queues answer: 200, else 503) and `GET /metrics`
 * (job counters and durations of this worker, queue depths). Nothing else. Readiness details and the metrics follow
 * the API's rules (READINESS_DETAILS, METRICS_TOKEN).
 */
export async function startWorkerHttp(
  config: AppConfig,
  metrics: MetricsService,
  readiness: () => Promise<WorkerReadiness>,
): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const caller = probeCallerOf(request);
    if (request.method === 'GET' && path === '/readiness') {
      const details = readinessDetailsVisible(config.probes, caller);
      readiness().then(
        (result) => {
          response.writeHead(result.status === 'ready' ? 200 : 503, {
            'content-type': JSON_TYPE,
            'cache-control': 'no-store',
          });
          const body = details ? result : { status: result.status };
          response.end(JSON.stringify({ ...body, timestamp: new Date().toISOString() }));
        },
        () => {
          response.writeHead(503, { 'content-type': JSON_TYPE, 'cache-control': 'no-store' });
          const body = details ? { status: 'not_ready', checks: {} } : { status: 'not_ready' };
          response.end(JSON.stringify({ ...body, timestamp: new Date().toISOString() }));
        },
      );
      return;
    }
    if (request.method === 'GET' && path === '/health') {
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      response.end(
        JSON.stringify({
          status: 'healthy',
          timestamp: new Date().toISOString(),
          version: config.version,
          service: config.serviceName,
        }),
      );
      return;
    }
    if (request.method === 'GET' && path === '/metrics') {
      if (!metricsAllowed(config.probes, caller)) {
        unauthorized(response, requestIdFor(request));
        return;
      }
      metrics.exposition().then(
        (body) => {
          response.writeHead(200, { 'content-type': metrics.contentType });
          response.end(body);
        },
        () => {
          response.writeHead(500, { 'content-type': 'text/plain' });
          response.end('metrics unavailable\n');
        },
      );
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.workerPort, config.host, () => resolve());
  });
  return server;
}

/** The API's error envelope, as its /metrics answers without the token. */
function unauthorized(response: ServerResponse, requestId: string): void {
  response.writeHead(401, {
    'content-type': JSON_TYPE,
    'cache-control': 'no-store',
    'www-authenticate': METRICS_CHALLENGE,
    'x-request-id': requestId,
  });
  response.end(
    JSON.stringify({
      status: 'error',
      error: { code: ErrorCode.UNAUTHENTICATED, message: METRICS_UNAUTHORIZED_MESSAGE },
      meta: { requestId, timestamp: new Date().toISOString() },
    }),
  );
}

export function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}
