import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { MaintenanceProcessor } from '../../jobs/maintenance.processor';
import { AuditModule } from '../audit/audit.module';
import { EmailTokensRepository } from './email-tokens.repository';
import { EmailTokensService } from './email-tokens.service';
import { PasswordResetJob } from './password-reset.job';
import { FAILURE_WINDOW_SECONDS } from './lockout.service';
import { SessionsRepository } from './sessions.repository';
import { SignInFailuresRepository } from './sign-in-failures.repository';
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
    private readonly signInFailures: SignInFailuresRepository,
  ) {}

  onModuleInit(): void {
    this.maintenance.register('ended sessions', () => this.sessions.deleteEnded());
    this.maintenance.register('used or expired email tokens', () => this.emailTokens.deleteSpent());
    this.maintenance.register('identifiers of deleted accounts freed', () => this.releaseDeletedIdentifiers());
    // A day covers any window and lock (LOCKOUT_MINUTES is at most 1440).
    this.maintenance.register('sign-in counts past their window', () =>
      this.signInFailures.purgeExpired(Math.max(FAILURE_WINDOW_SECONDS, 24 * 60 * 60)),
    );
  }

  /** Accounts deleted longer ago than the retention period give up their email address and username. */
  releaseDeletedIdentifiers(): Promise<number> {
    return this.users.releaseDeletedIdentifiers(DELETED_ACCOUNT_RETENTION_DAYS);
  }
}

/** Identity's jobs (housekeeping, reset links): imported by the API and the worker alike. */
@Module({
  imports: [AuditModule],
  providers: [
    IdentityMaintenance,
    PasswordResetJob,
    EmailTokensService,
    UsersRepository,
    SessionsRepository,
    EmailTokensRepository,
    SignInFailuresRepository,
  ],
  exports: [IdentityMaintenance],
})
export class IdentityMaintenanceModule {}
