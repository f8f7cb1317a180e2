import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { CacheService } from '../../common/cache';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import type { InfoDto, InfoInstanceDto } from './system.dto';
import { SystemRepository } from './system.repository';

export const SYSTEM_CACHE = 'system';
const INSTANCE_KEY = 'instance';
// The row changes only when a process starts, so a short cache spares the database on every page load.
const INSTANCE_CACHE_TTL_SECONDS = 30;

@Injectable()
export class SystemService {
  constructor(
    private readonly repository: SystemRepository,
    private readonly cache: CacheService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async recordBoot(): Promise<InfoInstanceDto> {
    const row = await this.repository.recordBoot();
    // Every replica shows the new boot count from now on.
    await this.cache.invalidate(SYSTEM_CACHE, INSTANCE_KEY);
    return { id: row.id, installedAt: row.installedAt.toISOString(), bootCount: row.bootCount };
  }

  async info(): Promise<InfoDto> {
    return { name: 'Atrium', version: this.config.version, mode: this.config.mode, instance: await this.instance() };
  }

  private instance(): Promise<InfoInstanceDto> {
    return this.cache.getOrLoad(
      SYSTEM_CACHE,
      INSTANCE_KEY,
      async () => {
        const row = await this.repository.find();
        // Only a process that skipped its boot record (a database restored mid-flight) gets here.
        if (!row) throw new ServiceUnavailableException('This installation has not finished starting');
        return { id: row.id, installedAt: row.installedAt.toISOString(), bootCount: row.bootCount };
      },
      { ttlSeconds: INSTANCE_CACHE_TTL_SECONDS },
    );
  }
}
