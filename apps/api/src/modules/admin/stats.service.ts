import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import type { StatsDto } from './dto/stats.dto';
import { StatsRepository } from './stats.repository';

export const STATS_CACHE_KEY = 'admin:stats';
// A dashboard polls; a few aggregates over users and audit events every 30 s at most is cheap.
export const STATS_CACHE_TTL_MS = 30_000;

@Injectable()
export class AdminStatsService {
  constructor(
    private readonly repository: StatsRepository,
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
  ) {}

  async stats(): Promise<StatsDto> {
    const cached = await this.cache.get<StatsDto>(STATS_CACHE_KEY);
    if (cached) return cached;
    const [total, byRole, active, days] = await Promise.all([
      this.repository.usersTotal(),
      this.repository.usersByRole(),
      this.repository.activeSessions(),
      this.repository.daily(),
    ]);
    const stats: StatsDto = {
      generatedAt: new Date().toISOString(),
      users: { total, byRole },
      sessions: { active },
      days,
    };
    await this.cache.set(STATS_CACHE_KEY, stats, STATS_CACHE_TTL_MS);
    return stats;
  }
}
