import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';

/** Route label of requests that matched no route: raw URLs would let any client explode label cardinality. */
export const UNMATCHED_ROUTE = '<unmatched>';

/**
 * One Prometheus registry per application instance (not prom-client's global one), so several
 * apps in one process (tests) never share or double-register metrics.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly duration: Histogram<'method' | 'route' | 'status'>;
  private readonly jobs: Counter<'queue' | 'name' | 'outcome'>;
  private readonly jobDuration: Histogram<'queue' | 'name' | 'outcome'>;
  private readonly cacheHits: Counter<'namespace'>;
  private readonly cacheMisses: Counter<'namespace'>;
  private readonly cacheErrors: Counter<'namespace' | 'operation'>;
  private queueCounts?: () => Promise<Record<string, Record<string, number>>>;

  constructor(@InjectConfig() config: AppConfig) {
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests served, by method, route template and status code',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration in seconds, by method, route template and status code',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    const info = new Gauge({
      name: 'app_info',
      help: 'Build and runtime information of this process; always 1',
      labelNames: ['version', 'mode', 'service'],
      registers: [this.registry],
    });
    info.set({ version: config.version, mode: config.mode, service: config.serviceName }, 1);
    this.jobs = new Counter({
      name: 'jobs_total',
      help: 'Job attempts run by this process, by queue, job name and outcome (completed, retrying, failed)',
      labelNames: ['queue', 'name', 'outcome'],
      registers: [this.registry],
    });
    this.jobDuration = new Histogram({
      name: 'job_duration_seconds',
      help: 'Duration of job attempts in seconds, by queue, job name and outcome',
      labelNames: ['queue', 'name', 'outcome'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [this.registry],
    });
    this.cacheHits = new Counter({
      name: 'cache_hits_total',
      help: 'Cache reads answered from the cache, by namespace',
      labelNames: ['namespace'],
      registers: [this.registry],
    });
    this.cacheMisses = new Counter({
      name: 'cache_misses_total',
      help: 'Cache reads that loaded from the source (absent, expired, invalidated, or the cache unreachable), by namespace',
      labelNames: ['namespace'],
      registers: [this.registry],
    });
    this.cacheErrors = new Counter({
      name: 'cache_errors_total',
      help: 'Cache operations that failed or timed out (read, write, invalidate), by namespace; a failed read is also a miss',
      labelNames: ['namespace', 'operation'],
      registers: [this.registry],
    });
    // Read from the queues when Prometheus scrapes, so every replica reports the shared backlog.
    const counts = (): Promise<Record<string, Record<string, number>>> | undefined => this.queueCounts?.();
    new Gauge({
      name: 'queue_jobs',
      help: 'Jobs per queue and state (waiting, active, delayed, failed) at scrape time',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        const byQueue = await counts()?.catch(() => undefined);
        if (!byQueue) return;
        for (const [queue, states] of Object.entries(byQueue)) {
          for (const [state, value] of Object.entries(states)) this.set({ queue, state }, value);
        }
      },
    });
  }

  observeJob(queue: string, name: string, outcome: 'completed' | 'retrying' | 'failed', seconds: number): void {
    this.jobs.inc({ queue, name, outcome });
    this.jobDuration.observe({ queue, name, outcome }, seconds);
  }

  observeCache(namespace: string, outcome: 'hit' | 'miss'): void {
    (outcome === 'hit' ? this.cacheHits : this.cacheMisses).inc({ namespace });
  }

  observeCacheError(namespace: string, operation: 'read' | 'write' | 'invalidate'): void {
    this.cacheErrors.inc({ namespace, operation });
  }

  /** The job runner reports its per-queue counts through this at scrape time. */
  setQueueCountsSource(source: () => Promise<Record<string, Record<string, number>>>): void {
    this.queueCounts = source;
  }

  observeRequest(method: string, route: string | undefined, status: number, seconds: number): void {
    const labels = { method, route: route ?? UNMATCHED_ROUTE, status: String(status) };
    this.requests.inc(labels);
    this.duration.observe(labels, seconds);
  }

  async exposition(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
