import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import { RawResponse } from '../../common/decorators/raw-response.decorator';
import { ApiErrorResponses } from '../../common/dto/envelope.dto';
import { HealthResponseDto } from './health.dto';
import { Public } from '../../common/auth';

@ApiTags('Operations')
@Public()
@Controller('health')
@RawResponse()
@SkipThrottle()
export class HealthController {
  constructor(@InjectConfig() private readonly config: AppConfig) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Liveness: the process is up and serving HTTP (no dependency is called)' })
  @ApiOkResponse({ type: HealthResponseDto })
  // Only a malformed URL (a NUL byte) is refused, before any route runs.
  @ApiErrorResponses(400)
  health(): HealthResponseDto {
    return {
      status: 'healthy',
      timestamp: new Date().toISOString(),
      version: this.config.version,
      service: this.config.serviceName,
    };
  }
}
