import { Injectable } from '@nestjs/common';
import { Transactions } from '../../database/transactions';
import { DomainEvents } from '../../events/domain-events.publisher';
import { JobRegistry } from '../../jobs/job.registry';
import { AuditService } from '../audit/audit.service';
import { refOf } from './accounts.service';
import { EmailTokensService } from './email-tokens.service';
import { PasswordResetRequestedEvent } from './identity.events';
import { UsersRepository } from './users.repository';

/** How long a reset link works. */
export const RESET_TTL_MINUTES = 60;

/**
 * The `account.password-reset` job (decision 53): `POST /auth/forgot-password` only enqueues it,
 * the same work for every address, so neither its answer nor its timing tells whether an account
 * exists. Here, in whichever process runs jobs, an active account outside the mail cooldown gets
 * a link; anything else gets nothing.
 */
@Injectable()
export class PasswordResetJob {
  constructor(
    registry: JobRegistry,
    private readonly users: UsersRepository,
    private readonly emailTokens: EmailTokensService,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
  ) {
    registry.handle('account.password-reset', ({ email }) => this.sendLink(email));
  }

  async sendLink(emailNormalized: string): Promise<void> {
    const user = await this.users.findActiveByEmail(emailNormalized);
    // Unknown address, or a link mailed moments ago: no mail.
    if (!user || (await this.emailTokens.cooldown(user.id, 'reset_password')) > 0) return;
    await this.transactions.run(async () => {
      const token = await this.emailTokens.issue(user.id, 'reset_password', RESET_TTL_MINUTES);
      await this.audit.record({ actorId: user.id, action: 'auth.password_reset_requested' });
      await this.events.publish(new PasswordResetRequestedEvent(refOf(user), token, RESET_TTL_MINUTES));
    });
  }
}
