import { Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, ApiSuccessResponse } from '../../common/dto/envelope.dto';
import { ApiPaginatedResponse, type Paginated } from '../../common/http/pagination';
import { RequirePermissions } from '../../common/auth';
import { type AuthUser, CurrentUser } from '../../common/auth';
import { MessageDto } from '../identity/dto/auth.dto';
import { JobDto, ListJobsQueryDto, QUEUE_NAMES, QueuesOverviewDto } from './dto/queues.dto';
import { AdminQueuesService } from './queues.service';

const QueueParam = (): MethodDecorator =>
  ApiParam({ name: 'name', enum: QUEUE_NAMES, enumName: 'QueueName', description: 'Queue (unknown: 404)' });
const JobIdParam = (): MethodDecorator => ApiParam({ name: 'id', type: String, description: 'Job id', example: '42' });

@ApiTags('Admin')
@ApiBearerAuth()
@Controller('admin/queues')
export class AdminQueuesController {
  constructor(private readonly queues: AdminQueuesService) {}

  @Get()
  @RequirePermissions('queues:read')
  @ApiOperation({ summary: 'How many jobs each background queue holds, per state' })
  @ApiSuccessResponse(QueuesOverviewDto)
  @ApiErrorResponses(401, 403, 429, 500)
  overview(): Promise<QueuesOverviewDto> {
    return this.queues.overview();
  }

  @Get(':name/jobs')
  @RequirePermissions('queues:read')
  @QueueParam()
  @ApiOperation({
    summary: "A page of a queue's jobs in one state, newest first",
    description:
      'Delayed jobs come by due time, the last due first. Job data never includes secrets: a mail shows its template and recipient only.',
  })
  @ApiPaginatedResponse(JobDto)
  @ApiErrorResponses(400, 401, 403, 404, 429, 500)
  list(@Param('name') name: string, @Query() query: ListJobsQueryDto): Promise<Paginated<JobDto>> {
    return this.queues.list(name, query);
  }

  @Post(':name/jobs/:id/retry')
  @HttpCode(200)
  @RequirePermissions('queues:manage')
  @QueueParam()
  @JobIdParam()
  @ApiOperation({
    summary: 'Put a failed job back in the queue',
    description:
      'Only failed jobs (409 otherwise). The failure reason is cleared; attempts count on, so the job runs at least once more and retries only while it has tries left.',
  })
  @ApiSuccessResponse(JobDto, 200, 'The job as it is now (waiting, or already picked up)')
  @ApiErrorResponses(401, 403, 404, 409, 429, 500)
  retry(@CurrentUser() user: AuthUser, @Param('name') name: string, @Param('id') id: string): Promise<JobDto> {
    return this.queues.retry(user, name, id);
  }

  @Delete(':name/jobs/:id')
  @RequirePermissions('queues:manage')
  @QueueParam()
  @JobIdParam()
  @ApiOperation({
    summary: 'Delete a job that is not running',
    description: 'A waiting or delayed job will not run; a running job cannot be removed (409).',
  })
  @ApiSuccessResponse(MessageDto)
  @ApiErrorResponses(401, 403, 404, 409, 429, 500)
  async remove(
    @CurrentUser() user: AuthUser,
    @Param('name') name: string,
    @Param('id') id: string,
  ): Promise<MessageDto> {
    await this.queues.remove(user, name, id);
    return { message: 'Job removed' };
  }
}
