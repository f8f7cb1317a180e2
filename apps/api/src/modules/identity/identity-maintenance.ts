import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { MaintenanceProcessor } from '../../jobs/maintenance.processor';
import { EmailTokensRepository } from './email-tokens.repository';
import { SessionsRepository } from './sessions.repository';
import { UsersRepository } from './users.repository';

/** How long a deleted account keeps its email address and username from being taken by someone else. */
export const DELETED_ACCOUNT_RETENTION_DAYS = 30;

/**
 * What identity leaves behind, cleared by the daily `maintenance.cleanup` job in whichever
 * process runs jobs (the worker, or the API in embedded mode).
 */
@Injectable()
export class IdentityMaintenance implements OnModuleInit {
  constructor(
    private readonly maintenance: MaintenanceProcessor,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly emailTokens: EmailTokensRepository,
  ) {}

  onModuleInit(): void {
    this.maintenance.register('ended sessions', () => this.sessions.deleteEnded());
    this.maintenance.register('used or expired email tokens', () => this.emailTokens.deleteSpent());
    this.maintenance.register('identifiers of deleted accounts freed', () => this.releaseDeletedIdentifiers());
  }

  /** Accounts deleted longer ago than the retention period give up their email address and username. */
  releaseDeletedIdentifiers(): Promise<number> {
    return this.users.releaseDeletedIdentifiers(DELETED_ACCOUNT_RETENTION_DAYS);
  }
}

/** Imported by the API and the worker alike. */
@Module({
  providers: [IdentityMaintenance, UsersRepository, SessionsRepository, EmailTokensRepository],
  exports: [IdentityMaintenance],
})
export class IdentityMaintenanceModule {}
