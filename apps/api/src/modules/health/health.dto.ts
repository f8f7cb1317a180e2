import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DependencyStatus, JobRunner, ReadinessStatus, RuntimeMode } from '@atrium/contracts';

export class HealthResponseDto {
  @ApiProperty({ enum: ['healthy'] })
  status: 'healthy';

  @ApiProperty({ format: 'date-time' })
  timestamp: string;

  @ApiProperty({ example: '0.1.0' })
  version: string;

  @ApiProperty({ example: 'atrium-api' })
  service: string;
}

export class DependencyCheckDto {
  @ApiProperty({ enum: Object.values(DependencyStatus), enumName: 'DependencyStatus' })
  status: DependencyStatus;

  @ApiPropertyOptional({ description: 'Round trip of the check, in milliseconds' })
  latencyMs?: number;

  @ApiPropertyOptional({ description: 'Why the dependency is not usable (no internals)' })
  error?: string;
}

export class DatabaseCheckDto extends DependencyCheckDto {
  @ApiPropertyOptional({ description: 'Migrations known to this build but not yet applied; > 0 means not ready' })
  pendingMigrations?: number;
}

export class QueuesCheckDto extends DependencyCheckDto {
  @ApiProperty({
    enum: Object.values(JobRunner),
    enumName: 'JobRunner',
    description:
      '`redis`: Bull queues shared with the workers; `in-process`: this process runs the jobs (no REDIS_URL)',
  })
  runner: JobRunner;
}

export class DiskCheckDto {
  @ApiProperty({ enum: [DependencyStatus.UP, DependencyStatus.DOWN] })
  status: DependencyStatus;

  @ApiProperty({ description: 'Free space available to the process, in GB (10^9 bytes)', example: 42.5 })
  freeGb: number;

  @ApiProperty({ description: 'The volume that was measured (the data directory)' })
  path: string;
}

export class ReadinessChecksDto {
  @ApiProperty({ type: DatabaseCheckDto })
  database: DatabaseCheckDto;

  @ApiProperty({
    type: DependencyCheckDto,
    description: '`not_configured` in embedded mode (in-memory cache and throttling)',
  })
  redis: DependencyCheckDto;

  @ApiProperty({ type: QueuesCheckDto })
  queues: QueuesCheckDto;

  @ApiProperty({ type: DiskCheckDto })
  disk: DiskCheckDto;
}

export class ReadinessResponseDto {
  @ApiProperty({
    enum: Object.values(ReadinessStatus),
    enumName: 'ReadinessStatus',
    description:
      '`ready`; `degraded` (200: serving, with Redis or the job queues down — rate limits off, mail delayed); `not_ready` (503: database or disk down, or shutting down)',
  })
  status: ReadinessStatus;

  @ApiPropertyOptional({ description: 'Why a healthy replica is not ready (e.g. "shutting down")' })
  reason?: string;

  @ApiProperty({ enum: Object.values(RuntimeMode), enumName: 'RuntimeMode' })
  mode: RuntimeMode;

  @ApiProperty({ format: 'date-time' })
  timestamp: string;

  @ApiPropertyOptional({
    type: ReadinessChecksDto,
    description:
      'Per-dependency details, only for callers READINESS_DETAILS allows (by default: from this machine through no proxy, or with `Authorization: Bearer <METRICS_TOKEN>`); absent for everyone else',
  })
  checks?: ReadinessChecksDto;
}
