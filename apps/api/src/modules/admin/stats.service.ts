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
    const [total, byRole, active, days, statuses, commentsPending, topPosts] = await Promise.all([
      this.repository.usersTotal(),
      this.repository.usersByRole(),
      this.repository.activeSessions(),
      this.repository.daily(),
      this.repository.postsByStatus(),
      this.repository.commentsPending(),
      this.repository.topPosts(),
    ]);
    const postsByStatus = { draft: 0, scheduled: 0, published: 0, archived: 0 };
    for (const row of statuses) postsByStatus[row.status] = row.posts;
    return {
      generatedAt: new Date().toISOString(),
      users: { total, byRole },
      sessions: { active },
      content: { postsByStatus, commentsPending, topPosts },
      days,
    };
  }
}
