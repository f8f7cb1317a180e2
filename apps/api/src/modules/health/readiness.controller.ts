import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { ReadinessStatus } from '@atrium/contracts';
import { RawResponse } from '../../common/decorators/raw-response.decorator';
import { ApiErrorResponses } from '../../common/dto/envelope.dto';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import { Caller, type ProbeCaller, readinessDetailsVisible } from '../metrics/probe-access';
import { ReadinessResponseDto } from './health.dto';
import { ReadinessService } from './readiness.service';
import { Public } from '../../common/auth';

@ApiTags('Operations')
@Public()
@Controller('readiness')
@RawResponse()
@SkipThrottle()
export class ReadinessController {
  constructor(
    private readonly readinessService: ReadinessService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Readiness: can this replica serve (database, Redis, job queues, disk)?',
    description:
      'Load balancers take a replica out of rotation on 503 and back in on 200; no restart is needed. A Redis outage answers 200 `degraded`: requests are still served. Everyone gets `status` and the status code; the per-dependency `checks` (latencies, free disk, the data directory, error texts) only a caller that READINESS_DETAILS allows: by default one on this machine (loopback, through no proxy) or one sending `Authorization: Bearer <METRICS_TOKEN>`.',
  })
  @ApiOkResponse({ type: ReadinessResponseDto, description: 'Ready or degraded' })
  @ApiServiceUnavailableResponse({
    type: ReadinessResponseDto,
    description: 'The database or disk is down, or the replica is shutting down; see `checks` where shown',
  })
  // Only a malformed URL (a NUL byte) is refused, before any route runs.
  @ApiErrorResponses(400)
  async readiness(
    @Caller() caller: ProbeCaller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReadinessResponseDto> {
    const result = await this.readinessService.check();
    if (result.status === ReadinessStatus.NOT_READY) void reply.status(503);
    if (readinessDetailsVisible(this.config.probes, caller)) return result;
    const { checks: _checks, ...summary } = result;
    return summary;
  }
}
