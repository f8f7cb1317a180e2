import { Injectable } from '@nestjs/common';
import { CacheService } from '../../common/cache';
import type { StatsDto } from './dto/stats.dto';
import { StatsRepository } from './stats.repository';

export const STATS_CACHE = 'admin-stats';
export const STATS_CACHE_KEY = 'dashboard';
// A dashboard polls; a few aggregates over users and audit events every 30 s at most is cheap.
export const STATS_CACHE_TTL_SECONDS = 30;

@Injectable()
export class AdminStatsService {
  constructor(
    private readonly repository: StatsRepository,
    private readonly cache: CacheService,
  ) {}

  stats(): Promise<StatsDto> {
    return this.cache.getOrLoad(STATS_CACHE, STATS_CACHE_KEY, () => this.compute(), {
      ttlSeconds: STATS_CACHE_TTL_SECONDS,
    });
  }

  private async compute(): Promise<StatsDto> {
    const [total, byRole, active, days] = await Promise.all([
      this.repository.usersTotal(),
      this.repository.usersByRole(),
      this.repository.activeSessions(),
      this.repository.daily(),
    ]);
    return {
      generatedAt: new Date().toISOString(),
      users: { total, byRole },
      sessions: { active },
      days,
    };
  }
}
