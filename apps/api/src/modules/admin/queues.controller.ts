import { Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { Query } from '../../common/http/validation';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { Route } from '../../common/http/route.decorator';
import { ApiPaginatedResponse, type Paginated } from '../../common/http/pagination';
import { type AuthUser, CurrentUser } from '../../common/auth';
import { MessageDto } from '../identity/dto/auth.dto';
import { JobDto, ListJobsQueryDto, QUEUE_NAMES, QueuesOverviewDto } from './dto/queues.dto';
import { AdminQueuesService } from './queues.service';

const QueueParam = (): MethodDecorator =>
  ApiParam({ name: 'name', enum: QUEUE_NAMES, enumName: 'QueueName', description: 'Queue (unknown: 404)' });
const JobIdParam = (): MethodDecorator => ApiParam({ name: 'id', type: String, description: 'Job id', example: '42' });

@ApiTags('Admin')
@Controller('admin/queues')
export class AdminQueuesController {
  constructor(private readonly queues: AdminQueuesService) {}

  @Get()
  @Route({
    summary: 'How many jobs each background queue holds, per state',
    access: { permissions: ['queues:read'] },
    response: { type: QueuesOverviewDto },
  })
  overview(): Promise<QueuesOverviewDto> {
    return this.queues.overview();
  }

  @Get(':name/jobs')
  @QueueParam()
  @ApiPaginatedResponse(JobDto)
  @Route({
    summary: "A page of a queue's jobs in one state, newest first",
    description:
      'Delayed jobs come by due time, the last due first. Job data never includes secrets: a mail shows its template and recipient only.',
    access: { permissions: ['queues:read'] },
    errors: [400, 404],
  })
  list(@Param('name') name: string, @Query() query: ListJobsQueryDto): Promise<Paginated<JobDto>> {
    return this.queues.list(name, query);
  }

  @Post(':name/jobs/:id/retry')
  @QueueParam()
  @JobIdParam()
  @Route({
    summary: 'Put a failed job back in the queue',
    description:
      'Only failed jobs (409 otherwise). The failure reason is cleared; attempts count on, so the job runs at least once more and retries only while it has tries left.',
    access: { permissions: ['queues:manage'] },
    response: { type: JobDto },
    errors: [404, 409],
  })
  retry(@CurrentUser() user: AuthUser, @Param('name') name: string, @Param('id') id: string): Promise<JobDto> {
    return this.queues.retry(user, name, id);
  }

  @Delete(':name/jobs/:id')
  @QueueParam()
  @JobIdParam()
  @Route({
    summary: 'Delete a job that is not running',
    description: 'A waiting or delayed job will not run; a running job cannot be removed (409).',
    access: { permissions: ['queues:manage'] },
    response: { type: MessageDto },
    errors: [404, 409],
  })
  async remove(
    @CurrentUser() user: AuthUser,
    @Param('name') name: string,
    @Param('id') id: string,
  ): Promise<MessageDto> {
    await this.queues.remove(user, name, id);
    return { message: 'Job removed' };
  }
}
