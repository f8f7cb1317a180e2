import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { RawResponse } from '../../common/decorators/raw-response.decorator';
import { MetricsService } from './metrics.service';
import { Public } from '../../common/auth';

@ApiTags('Operations')
@Public()
@Controller('metrics')
@RawResponse()
@SkipThrottle()
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Prometheus metrics (text exposition format)',
    description:
      'Default process metrics, `http_requests_total{method,route,status}`, `http_request_duration_seconds` by route template, `app_info{version,mode,service}`, the job metrics `jobs_total{queue,name,outcome}`, `job_duration_seconds` and `queue_jobs{queue,state}`, and the cache counters `cache_hits_total{namespace}`, `cache_misses_total{namespace}` and `cache_errors_total{namespace,operation}`. Scrape it inside your network; the production nginx does not expose it.',
  })
  @ApiProduces('text/plain')
  @ApiResponse({ status: 200, description: 'Prometheus text format 0.0.4', schema: { type: 'string' } })
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    void reply.type(this.metrics.contentType);
    return this.metrics.exposition();
  }
}
