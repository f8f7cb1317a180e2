import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, ApiSuccessResponse } from '../../common/dto/envelope.dto';
import { HttpCache } from '../../common/http-cache';
import { InfoDto } from './system.dto';
import { SystemService } from './system.service';
import { Public } from '../../common/auth';

@ApiTags('System')
@Public()
@Controller('info')
export class SystemController {
  constructor(private readonly system: SystemService) {}

  @Get()
  @ApiOperation({ summary: 'Name, version and runtime mode of this Atrium installation' })
  @ApiSuccessResponse(InfoDto)
  @ApiErrorResponses(429, 500, 503)
  // Changes only when a process starts or is upgraded: a minute of reuse, then a cheap revalidation.
  @HttpCache({ visibility: 'public', maxAgeSeconds: 60 })
  info(): Promise<InfoDto> {
    return this.system.info();
  }
}
