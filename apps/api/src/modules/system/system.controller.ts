import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, ApiSuccessResponse } from '../../common/dto/envelope.dto';
import { InfoDto } from './system.dto';
import { SystemService } from './system.service';
import { Public } from '../identity/auth.decorators';

@ApiTags('System')
@Public()
@Controller('info')
export class SystemController {
  constructor(private readonly system: SystemService) {}

  @Get()
  @ApiOperation({ summary: 'Name, version and runtime mode of this Atrium installation' })
  @ApiSuccessResponse(InfoDto)
  @ApiErrorResponses(429, 500, 503)
  info(): Promise<InfoDto> {
    return this.system.info();
  }
}
