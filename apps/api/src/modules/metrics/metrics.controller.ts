import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { ErrorCode } from '@atrium/contracts';
import { RawResponse } from '../../common/decorators/raw-response.decorator';
import { ApiErrorResponses, ErrorResponseDto } from '../../common/dto/envelope.dto';
import { ApiException } from '../../common/http/api.exception';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import { MetricsService } from './metrics.service';
import {
  Caller,
  METRICS_CHALLENGE,
  METRICS_UNAUTHORIZED_MESSAGE,
  metricsAllowed,
  type ProbeCaller,
} from './probe-access';
import { Public } from '../../common/auth';

@ApiTags('Operations')
@Public()
@Controller('metrics')
@RawResponse()
@SkipThrottle()
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Prometheus metrics (text exposition format)',
    description:
      'Default process metrics, `http_requests_total{method,route,status}`, `http_request_duration_seconds` by route template, `app_info{version,mode,service}`, the job metrics `jobs_total{queue,name,outcome}`, `job_duration_seconds` and `queue_jobs{queue,state}`, and the cache counters `cache_hits_total{namespace}`, `cache_misses_total{namespace}` and `cache_errors_total{namespace,operation}`. Scrape it inside your network; the production nginx does not expose it. With METRICS_TOKEN set it requires `Authorization: Bearer <METRICS_TOKEN>`; without it anyone who reaches the port can read it, so never publish it.',
  })
  @ApiExtraModels(ErrorResponseDto)
  @ApiResponse({
    status: 200,
    description: 'Prometheus text format 0.0.4',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiResponse({
    status: 401,
    description: 'UNAUTHENTICATED: METRICS_TOKEN is set and the request does not carry it as a bearer token',
    headers: { 'WWW-Authenticate': { description: '`Bearer realm="metrics"`', schema: { type: 'string' } } },
    content: {
      'application/json': {
        schema: { $ref: getSchemaPath(ErrorResponseDto) },
        example: {
          status: 'error',
          error: { code: ErrorCode.UNAUTHENTICATED, message: METRICS_UNAUTHORIZED_MESSAGE },
          meta: { requestId: '0190f2a4-5b6c-7d8e-9f00-112233445566', timestamp: '2026-01-01T12:00:00.000Z' },
        },
      },
    },
  })
  // Only a malformed URL (a NUL byte) is refused, before any route runs.
  @ApiErrorResponses(400)
  async scrape(@Caller() caller: ProbeCaller, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    if (!metricsAllowed(this.config.probes, caller)) {
      throw new ApiException(401, ErrorCode.UNAUTHENTICATED, METRICS_UNAUTHORIZED_MESSAGE, undefined, {
        'WWW-Authenticate': METRICS_CHALLENGE,
      });
    }
    void reply.type(this.metrics.contentType);
    return this.metrics.exposition();
  }
}
