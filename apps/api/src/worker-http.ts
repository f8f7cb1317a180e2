import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppConfig } from './config/app-config';
import type { MetricsService } from './modules/metrics/metrics.service';

/** What the worker's readiness reports: each dependency it cannot work without. */
export interface WorkerReadiness {
  status: 'ready' | 'not_ready';
  checks: Record<string, { status: 'up' | 'down'; latencyMs: number; error?: string }>;
}

/**
 * The worker's only HTTP surface, for the orchestrator and Prometheus: `GET /health` (liveness),
 * `GET /readiness` (Postgres and Redis answer: 200, else 503) and `GET /metrics` (job counters and
 * durations of this worker, queue depths). Nothing else.
 */
export async function startWorkerHttp(
  config: AppConfig,
  metrics: MetricsService,
  readiness: () => Promise<WorkerReadiness>,
): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'GET' && path === '/readiness') {
      readiness().then(
        (result) => {
          response.writeHead(result.status === 'ready' ? 200 : 503, {
            'content-type': 'application/json; charset=utf-8',
            'cache-control': 'no-store',
          });
          response.end(JSON.stringify({ ...result, timestamp: new Date().toISOString() }));
        },
        () => {
          response.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
          response.end(JSON.stringify({ status: 'not_ready', checks: {}, timestamp: new Date().toISOString() }));
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

export function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}
