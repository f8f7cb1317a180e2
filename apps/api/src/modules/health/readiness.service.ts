import { Inject, Injectable } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type Redis from 'ioredis';
import { statfs } from 'node:fs/promises';
import { DependencyStatus, ReadinessStatus } from '@atrium/contracts';
import type { AppConfig } from '../../config/app-config';
import { withTimeout } from '../../common/timeout';
import { InjectConfig } from '../../config/config.module';
import { DatabaseProbe } from '../../database/database-probe.repository';
import { InjectRedis } from '../../redis/redis.module';
import { JOB_RUNNER, type JobQueueRunner } from '../../jobs/runners/job-runner';
import type {
  DatabaseCheckDto,
  DependencyCheckDto,
  DiskCheckDto,
  QueuesCheckDto,
  ReadinessResponseDto,
} from './health.dto';

const CHECK_TIMEOUT_MS = 2_000;

const checked = <T>(promise: Promise<T>, what: string): Promise<T> =>
  withTimeout(promise, CHECK_TIMEOUT_MS, `${what} did not answer within ${CHECK_TIMEOUT_MS} ms`);

const elapsedMs = (start: bigint): number => Number((process.hrtime.bigint() - start) / 1000n) / 1000;

/**
 * Readiness: can this replica serve traffic right now? Each dependency is checked through
 * Terminus with a timeout; the answer is reshaped into `{ status, mode, checks }`.
 */
@Injectable()
export class ReadinessService {
  /** Set at SIGTERM: load balancers take the replica out of rotation while it drains. */
  private draining = false;

  /** The process is shutting down: readiness answers 503 from now on. */
  startDraining(): void {
    this.draining = true;
  }

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly db: DatabaseProbe,
    @InjectRedis() private readonly redis: Redis | null,
    @InjectConfig() private readonly config: AppConfig,
    @Inject(JOB_RUNNER) private readonly jobs: JobQueueRunner,
  ) {}

  async check(): Promise<ReadinessResponseDto> {
    const indicators = [() => this.database(), () => this.disk(), () => this.queues()];
    if (this.redis !== null) indicators.push(() => this.redisCheck(this.redis as Redis));
    let details: Record<string, Record<string, unknown>>;
    try {
      details = (await this.health.check(indicators)).details as typeof details;
    } catch (error) {
      // Terminus reports a failed check by throwing 503 with the full result as its response.
      const response = (error as { getResponse?: () => unknown }).getResponse?.() as
        { details?: typeof details } | undefined;
      if (!response?.details) throw error;
      details = response.details;
    }
    const database = details.database as unknown as DatabaseCheckDto;
    const redis: DependencyCheckDto =
      this.redis === null
        ? { status: DependencyStatus.NOT_CONFIGURED }
        : (details.redis as unknown as DependencyCheckDto);
    const disk = details.disk as unknown as DiskCheckDto;
    const queues = details.queues as unknown as QueuesCheckDto;
    // Without the database or disk nothing works; without Redis (or the queues on it) requests are
    // still served — rate limits fail open, mail waits in the outbox — so the replica stays in rotation.
    const down = (check: { status: string }) => check.status === DependencyStatus.DOWN;
    const status =
      this.draining || down(database) || down(disk)
        ? ReadinessStatus.NOT_READY
        : down(redis) || down(queues)
          ? ReadinessStatus.DEGRADED
          : ReadinessStatus.READY;
    return {
      status,
      ...(this.draining && { reason: 'shutting down' }),
      mode: this.config.mode,
      timestamp: new Date().toISOString(),
      checks: { database, redis, queues, disk },
    };
  }

  private async database(): Promise<HealthIndicatorResult> {
    const session = this.indicator.check('database');
    const start = process.hrtime.bigint();
    try {
      await checked(this.db.ping(), 'Database');
      const latencyMs = elapsedMs(start);
      const pendingMigrations = await checked(this.db.pendingMigrationCount(), 'Database');
      if (pendingMigrations > 0) {
        return session.down({ latencyMs, pendingMigrations, error: `${pendingMigrations} migration(s) not applied` });
      }
      return session.up({ latencyMs, pendingMigrations });
    } catch (error) {
      return session.down({ latencyMs: elapsedMs(start), error: describe(error, 'Database unreachable') });
    }
  }

  private async redisCheck(redis: Redis): Promise<HealthIndicatorResult> {
    const session = this.indicator.check('redis');
    const start = process.hrtime.bigint();
    try {
      await checked(redis.ping(), 'Redis');
      return session.up({ latencyMs: elapsedMs(start) });
    } catch (error) {
      return session.down({ latencyMs: elapsedMs(start), error: describe(error, 'Redis unreachable') });
    }
  }

  private async queues(): Promise<HealthIndicatorResult> {
    const session = this.indicator.check('queues');
    const runner = this.jobs.kind;
    const start = process.hrtime.bigint();
    try {
      await checked(this.jobs.ping(), 'Job queues');
      return session.up({ latencyMs: elapsedMs(start), runner });
    } catch (error) {
      return session.down({ latencyMs: elapsedMs(start), runner, error: describe(error, 'Job queues unreachable') });
    }
  }

  private async disk(): Promise<HealthIndicatorResult> {
    const session = this.indicator.check('disk');
    const path = this.config.dataDir;
    try {
      const stats = await statfs(path).catch(() => statfs(process.cwd()));
      const freeBytes = stats.bavail * stats.bsize;
      const freeGb = Math.round((freeBytes / 1e9) * 100) / 100;
      const enough = freeBytes >= this.config.readinessMinFreeDiskMb * 1e6;
      return enough
        ? session.up({ freeGb, path })
        : session.down({ freeGb, path, error: `Less than ${this.config.readinessMinFreeDiskMb} MB free` });
    } catch (error) {
      return session.down({ freeGb: 0, path, error: describe(error, 'Disk not readable') });
    }
  }
}

/** Only our own, known phrasing reaches the client: connection errors can carry hosts and credentials. */
function describe(error: unknown, fallback: string): string {
  const message = error instanceof Error ? error.message : '';
  return message.endsWith(`within ${CHECK_TIMEOUT_MS} ms`) ? message : fallback;
}
