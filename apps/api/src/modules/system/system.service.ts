import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import type { InfoDto, InfoInstanceDto } from './system.dto';
import { SystemRepository } from './system.repository';

const INSTANCE_CACHE_KEY = 'system:instance';
// The row changes only when a process starts, so a short cache spares the database on every page load.
const INSTANCE_CACHE_TTL_MS = 30_000;

@Injectable()
export class SystemService {
  constructor(
    private readonly repository: SystemRepository,
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async recordBoot(): Promise<InfoInstanceDto> {
    const row = await this.repository.recordBoot();
    const instance = { id: row.id, installedAt: row.installedAt.toISOString(), bootCount: row.bootCount };
    await this.cache.set(INSTANCE_CACHE_KEY, instance, INSTANCE_CACHE_TTL_MS);
    return instance;
  }

  async info(): Promise<InfoDto> {
    return { name: 'Atrium', version: this.config.version, mode: this.config.mode, instance: await this.instance() };
  }

  private async instance(): Promise<InfoInstanceDto> {
    const cached = await this.cache.get<InfoInstanceDto>(INSTANCE_CACHE_KEY);
    if (cached) return cached;
    const row = await this.repository.find();
    // Only a process that skipped its boot record (a database restored mid-flight) gets here.
    if (!row) throw new ServiceUnavailableException('This installation has not finished starting');
    const instance = { id: row.id, installedAt: row.installedAt.toISOString(), bootCount: row.bootCount };
    await this.cache.set(INSTANCE_CACHE_KEY, instance, INSTANCE_CACHE_TTL_MS);
    return instance;
  }
}
