import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { CacheService } from '../../common/cache';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import { Transactions } from '../../database/transactions';
import type { InfoDto, InfoInstanceDto } from './system.dto';
import { SystemRepository } from './system.repository';

export const SYSTEM_CACHE = 'system';
const INSTANCE_KEY = 'instance';
// The row changes when a process starts (and once at setup), so a short cache spares the database on every page load.
const INSTANCE_CACHE_TTL_SECONDS = 30;

@Injectable()
export class SystemService {
  constructor(
    private readonly repository: SystemRepository,
    private readonly cache: CacheService,
    private readonly transactions: Transactions,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async recordBoot(): Promise<InfoInstanceDto> {
    const row = await this.repository.recordBoot();
    // Every replica shows the new boot count from now on.
    await this.cache.invalidate(SYSTEM_CACHE, INSTANCE_KEY);
    return { id: row.id, installedAt: row.installedAt.toISOString(), bootCount: row.bootCount };
  }

  async info(): Promise<InfoDto> {
    const { siteName, ...instance } = await this.instance();
    // `?? null`: an entry cached by a process of the previous version has no siteName.
    return {
      name: 'Atrium',
      version: this.config.version,
      mode: this.config.mode,
      siteName: siteName ?? null,
      instance,
    };
  }

  /** The site's name (first-run setup); joins the caller's transaction, every replica sees it after the commit. */
  async setSiteName(siteName: string | null): Promise<void> {
    await this.repository.setSiteName(siteName);
    await this.transactions.afterCommit(async () => {
      await this.cache.invalidate(SYSTEM_CACHE, INSTANCE_KEY);
    });
  }

  /** The hashes of the pending one-time setup codes (first-run setup; the codes are never stored). */
  setupCodeHashes(): Promise<string[]> {
    return this.repository.setupCodeHashes();
  }

  addSetupCodeHash(hash: string): Promise<void> {
    return this.repository.addSetupCodeHash(hash);
  }

  /** Joins the caller's transaction. */
  clearSetupCodeHashes(): Promise<void> {
    return this.repository.clearSetupCodeHashes();
  }

  private instance(): Promise<InfoInstanceDto & { siteName: string | null }> {
    return this.cache.getOrLoad(
      SYSTEM_CACHE,
      INSTANCE_KEY,
      async () => {
        const row = await this.repository.find();
        // Only a process that skipped its boot record (a database restored mid-flight) gets here.
        if (!row) throw new ServiceUnavailableException('This installation has not finished starting');
        return {
          id: row.id,
          installedAt: row.installedAt.toISOString(),
          bootCount: row.bootCount,
          siteName: row.siteName,
        };
      },
      { ttlSeconds: INSTANCE_CACHE_TTL_SECONDS },
    );
  }
}
