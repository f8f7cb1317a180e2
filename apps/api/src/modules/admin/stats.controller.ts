import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, ApiSuccessResponse } from '../../common/dto/envelope.dto';
import { RequirePermissions } from '../../common/auth';
import { StatsDto } from './dto/stats.dto';
import { AdminStatsService } from './stats.service';

@ApiTags('Admin')
@ApiBearerAuth()
@Controller('admin/stats')
export class AdminStatsController {
  constructor(private readonly stats: AdminStatsService) {}

  @Get()
  @RequirePermissions('stats:read')
  @ApiOperation({
    summary: 'Dashboard figures: users, users per role, active sessions, and sign-ups and sign-ins per day',
    description: 'Daily figures cover the last 30 UTC days, zeros included. Cached for up to 30 seconds.',
  })
  @ApiSuccessResponse(StatsDto)
  @ApiErrorResponses(401, 403, 429, 500)
  get(): Promise<StatsDto> {
    return this.stats.stats();
  }
}
