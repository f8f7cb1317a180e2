import 'reflect-metadata';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigValidationError } from './config/app-config';
import { loadConfigFromEnvironment, loadDotEnvFile } from './config/config.module';
import type Redis from 'ioredis';
import { withTimeout } from './common/timeout';
import { DatabaseProbe } from './database/database-probe.repository';
import { JOB_RUNNER, type JobQueueRunner } from './jobs/runners/job-runner';
import { MetricsService } from './modules/metrics/metrics.service';
import { REDIS_CLIENT } from './redis/redis.module';
import { applyHeapGrowth, disablePretenuring, settleHeap } from './runtime-heap';
import { installShutdown } from './shutdown';
import { portOf, startWorkerHttp } from './worker-http';
import { WorkerModule } from './worker.module';

/**
 * `npm run start:worker`: a Nest application context (no HTTP API) that runs the queued jobs and
 * the schedules. It needs the shared services: in embedded mode the API runs jobs in-process.
 * SIGTERM lets running jobs finish, then exits; a killed worker's jobs are picked up again by
 * another worker's stalled-job check.
 */
async function main(): Promise<void> {
  loadDotEnvFile();
  const config = { ...loadConfigFromEnvironment(), serviceName: 'atrium-worker' };
  applyHeapGrowth(config.heapGrowthPercent);
  disablePretenuring();
  if (config.databaseUrl === undefined || config.redisUrl === undefined) {
    throw new ConfigValidationError([
      'The worker needs DATABASE_URL and REDIS_URL; without them (embedded mode) the API runs background work in-process',
    ]);
  }
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, config.databaseUrl), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.flushLogs();
  const logger = new NestLogger('Worker');
  const database = app.get(DatabaseProbe);
  const redis = app.get<Redis>(REDIS_CLIENT);
  const jobs = app.get<JobQueueRunner>(JOB_RUNNER);
  const http = await startWorkerHttp(config, app.get(MetricsService), async () => {
    const checks = {
      database: await timedCheck(() => database.ping(), 'Database unreachable'),
      redis: await timedCheck(() => redis.ping(), 'Redis unreachable'),
      // The queues have their own connections (Bull's): the worker is ready when it can take jobs.
      queues: await timedCheck(() => jobs.ping(), 'Job queues unreachable'),
    };
    const ready = Object.values(checks).every((check) => check.status === 'up');
    return { status: ready ? 'ready' : 'not_ready', checks };
  });
  installShutdown(
    async () => {
      await app.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
    config.shutdownTimeoutMs,
    logger,
  );
  settleHeap(config.heapGrowthPercent, (line) => logger.log(line));
  logger.log(
    `Atrium worker ${config.version} started (pid ${process.pid}); /health, /readiness and /metrics on port ${portOf(http)}`,
  );
}

/** One dependency check, bounded to 2 s; only our own phrasing reaches the response. */
async function timedCheck(
  probe: () => Promise<unknown>,
  failure: string,
): Promise<{ status: 'up' | 'down'; latencyMs: number; error?: string }> {
  const start = performance.now();
  const latencyMs = (): number => Math.round((performance.now() - start) * 10) / 10;
  try {
    await withTimeout(probe(), 2_000, failure);
    return { status: 'up', latencyMs: latencyMs() };
  } catch {
    return { status: 'down', latencyMs: latencyMs(), error: failure };
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigValidationError) console.error(error.message);
  else console.error('Atrium worker failed to start:', error);
  process.exit(1);
});
