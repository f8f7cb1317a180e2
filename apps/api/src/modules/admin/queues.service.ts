import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, JobState, type QueueName } from '@atrium/contracts';
import { ApiException } from '../../common/http/api.exception';
import { Paginated } from '../../common/http/pagination';
import { JOB_RUNNER, type JobQueueRunner, type JobSummary } from '../../jobs/runners/job-runner';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../../common/auth';
import { type JobDto, type ListJobsQueryDto, QUEUE_NAMES, type QueuesOverviewDto } from './dto/queues.dto';

const toJobDto = (queue: QueueName, job: JobSummary): JobDto => ({
  id: job.id,
  queue,
  name: job.name,
  state: job.state,
  attemptsMade: job.attemptsMade,
  attempts: job.attempts,
  failedReason: job.failedReason ?? null,
  data: job.data,
  createdAt: new Date(job.createdAt).toISOString(),
  finishedAt: job.finishedAt === undefined ? null : new Date(job.finishedAt).toISOString(),
});

const noSuchJob = (): ApiException => new ApiException(404, ErrorCode.NOT_FOUND, 'No such job in this queue');

/** What operators see of the background queues, and the two things they may do to a job. */
@Injectable()
export class AdminQueuesService {
  constructor(
    @Inject(JOB_RUNNER) private readonly runner: JobQueueRunner,
    private readonly audit: AuditService,
  ) {}

  async overview(): Promise<QueuesOverviewDto> {
    const [counts, completed] = await Promise.all([
      this.runner.counts(),
      Promise.all(QUEUE_NAMES.map((queue) => this.runner.countJobs(queue, JobState.COMPLETED))),
    ]);
    return {
      runner: this.runner.kind,
      queues: QUEUE_NAMES.map((name, i) => ({ name, counts: { ...counts[name], completed: completed[i] } })),
    };
  }

  async list(name: string, query: ListJobsQueryDto): Promise<Paginated<JobDto>> {
    const queue = this.queueNamed(name);
    // Bull lists jobs by position in a state: offset pages only.
    // Queues cannot seek: this list pages by offset only (its query has no cursor).
    const { page, perPage } = query;
    const { jobs, total } = await this.runner.listJobs(queue, query.state, {
      offset: (page - 1) * perPage,
      limit: perPage,
    });
    return new Paginated(
      jobs.map((job) => toJobDto(queue, job)),
      page,
      perPage,
      total,
    );
  }

  async retry(actor: AuthUser, name: string, id: string): Promise<JobDto> {
    const queue = this.queueNamed(name);
    const result = await this.runner.retryJob(queue, id);
    switch (result) {
      case 'not_found':
        throw noSuchJob();
      case 'not_failed': {
        const job = await this.runner.getJob(queue, id);
        if (!job) throw noSuchJob();
        throw new ApiException(409, ErrorCode.CONFLICT, `Only a failed job can be retried; this one is ${job.state}`);
      }
      case 'retried':
        break;
    }
    await this.audit.record({
      actorId: actor.id,
      action: 'queue.job_retried',
      target: `job:${queue}/${id}`,
    });
    // A worker may have picked it up (or even finished it) already: report it as it is now.
    const job = await this.runner.getJob(queue, id);
    if (!job) throw noSuchJob();
    return toJobDto(queue, job);
  }

  async remove(actor: AuthUser, name: string, id: string): Promise<void> {
    const queue = this.queueNamed(name);
    const result = await this.runner.removeJob(queue, id);
    switch (result) {
      case 'not_found':
        throw noSuchJob();
      case 'active':
        throw new ApiException(409, ErrorCode.CONFLICT, 'This job is running; it can be removed once it has finished');
      case 'removed':
        break;
    }
    await this.audit.record({
      actorId: actor.id,
      action: 'queue.job_removed',
      target: `job:${queue}/${id}`,
    });
  }

  private queueNamed(name: string): QueueName {
    const queue = QUEUE_NAMES.find((known) => known === name);
    if (!queue) throw new ApiException(404, ErrorCode.NOT_FOUND, `No queue named "${name.slice(0, 50)}"`);
    return queue;
  }
}
