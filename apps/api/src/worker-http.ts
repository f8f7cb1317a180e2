import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppConfig } from './config/app-config';
import type { MetricsService } from './modules/metrics/metrics.service';

/**
 * The worker's only HTTP surface, for the orchestrator and Prometheus: `GET /health` (liveness)
 * and `GET /metrics` (job counters and durations of this worker, queue depths). Nothing else.
 */
export async function startWorkerHttp(config: AppConfig, metrics: MetricsService): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
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
