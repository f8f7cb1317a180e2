import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Route } from '../../common/http/route.decorator';
import { StatsDto } from './dto/stats.dto';
import { AdminStatsService } from './stats.service';

@ApiTags('Admin')
@Controller('admin/stats')
export class AdminStatsController {
  constructor(private readonly stats: AdminStatsService) {}

  @Get()
  @Route({
    summary: 'Dashboard figures: users, users per role, active sessions, and sign-ups and sign-ins per day',
    description: 'Daily figures cover the last 30 UTC days, zeros included. Cached for up to 30 seconds.',
    access: { permissions: ['stats:read'] },
    response: { type: StatsDto },
  })
  get(): Promise<StatsDto> {
    return this.stats.stats();
  }
}
