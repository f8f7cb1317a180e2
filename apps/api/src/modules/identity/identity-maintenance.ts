import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MaintenanceProcessor } from '../../jobs/maintenance.processor';
import { EmailTokenEntity } from './entities/email-token.entity';
import { SessionEntity } from './entities/session.entity';
import { UserEntity } from './entities/user.entity';

/** How long a deleted account keeps its email address and username from being taken by someone else. */
export const DELETED_ACCOUNT_RETENTION_DAYS = 30;

/**
 * What identity leaves behind, cleared by the daily `maintenance.cleanup` job in whichever
 * process runs jobs (the worker, or the API in embedded mode): plain SQL, no request context.
 */
@Injectable()
export class IdentityMaintenance implements OnModuleInit {
  constructor(
    private readonly maintenance: MaintenanceProcessor,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.maintenance.register('ended sessions', () => this.deleteEndedSessions());
    this.maintenance.register('used or expired email tokens', () => this.deleteSpentEmailTokens());
    this.maintenance.register('identifiers of deleted accounts freed', () => this.releaseDeletedIdentifiers());
  }

  /** Sessions revoked or expired more than a day ago. */
  async deleteEndedSessions(): Promise<number> {
    const result = await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(SessionEntity)
      .where(`revoked_at < now() - interval '1 day' OR expires_at < now() - interval '1 day'`)
      .execute();
    return result.affected ?? 0;
  }

  async deleteSpentEmailTokens(): Promise<number> {
    const result = await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(EmailTokenEntity)
      .where(`used_at IS NOT NULL OR expires_at < now() - interval '1 day'`)
      .execute();
    return result.affected ?? 0;
  }

  /** Accounts deleted longer ago than the retention period give up their email address and username. */
  async releaseDeletedIdentifiers(): Promise<number> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(UserEntity)
      .set({ emailNormalized: () => `'deleted:' || id`, usernameNormalized: () => `'deleted:' || id` })
      .where(`deleted_at < now() - make_interval(days => :days) AND email_normalized NOT LIKE 'deleted:%'`, {
        days: DELETED_ACCOUNT_RETENTION_DAYS,
      })
      .execute();
    return result.affected ?? 0;
  }
}

/** Imported by the API and the worker alike. */
@Module({ providers: [IdentityMaintenance], exports: [IdentityMaintenance] })
export class IdentityMaintenanceModule {}
