import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HttpCache } from '../../common/http-cache';
import { Route } from '../../common/http/route.decorator';
import { InfoDto } from './system.dto';
import { SystemService } from './system.service';

@ApiTags('System')
@Controller('info')
export class SystemController {
  constructor(private readonly system: SystemService) {}

  @Get()
  @Route({
    summary: 'Name, version and runtime mode of this Atrium installation',
    access: 'public',
    response: { type: InfoDto },
    errors: [503],
  })
  // Changes when a process starts or is upgraded (and once at setup): a minute of reuse, then a cheap revalidation.
  @HttpCache({ visibility: 'public', maxAgeSeconds: 60 })
  info(): Promise<InfoDto> {
    return this.system.info();
  }
}
