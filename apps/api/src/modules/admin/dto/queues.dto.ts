import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { JobRunner, JobState, QueueName } from '@atrium/contracts';
import { PaginationQueryDto } from '../../../common/http/pagination';

export const JOB_STATES: readonly JobState[] = Object.values(JobState);
export const QUEUE_NAMES: readonly QueueName[] = Object.values(QueueName);

export class ListJobsQueryDto extends PaginationQueryDto {
  @ApiProperty({ enum: JOB_STATES, enumName: 'JobState', description: 'Which jobs to list', example: 'failed' })
  @IsIn(JOB_STATES)
  state: JobState;
}

export class QueueStateCountsDto {
  @ApiProperty({ description: 'Ready to run, waiting for a worker' })
  waiting: number;

  @ApiProperty({ description: 'Running now' })
  active: number;

  @ApiProperty({ description: 'Scheduled for later, or waiting to retry after a failed attempt' })
  delayed: number;

  @ApiProperty({ description: 'Failed for good (kept for 14 days, retryable)' })
  failed: number;

  @ApiProperty({ description: 'Completed and still kept (the last 1000)' })
  completed: number;
}

export class QueueOverviewDto {
  @ApiProperty({ enum: QUEUE_NAMES, enumName: 'QueueName' })
  name: QueueName;

  @ApiProperty({ type: QueueStateCountsDto })
  counts: QueueStateCountsDto;
}

export class QueuesOverviewDto {
  @ApiProperty({
    enum: Object.values(JobRunner),
    enumName: 'JobRunner',
    description: 'redis: Bull queues, run by worker processes; in-process: run by the API itself, lost on restart',
  })
  runner: JobRunner;

  @ApiProperty({ type: [QueueOverviewDto] })
  queues: QueueOverviewDto[];
}

export class JobDto {
  @ApiProperty({ example: '42' })
  id: string;

  @ApiProperty({ enum: QUEUE_NAMES, enumName: 'QueueName' })
  queue: QueueName;

  @ApiProperty({ example: 'mail.send' })
  name: string;

  @ApiProperty({ enum: JOB_STATES, enumName: 'JobState' })
  state: JobState;

  @ApiProperty({ description: 'Attempts that failed so far' })
  attemptsMade: number;

  @ApiProperty({ description: 'Tries the job has in all; a manual retry grants at least one more' })
  attempts: number;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why the last attempt failed',
    example: '550 no such user',
  })
  failedReason: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description:
      'What the payload is about, without secrets: a mail shows its template and recipient, never its variables (they hold one-use links)',
    example: { template: 'verify-email', to: 'ada@example.com' },
  })
  data: Record<string, string>;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When it completed or failed for good',
  })
  finishedAt: string | null;
}
