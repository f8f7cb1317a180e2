import { Injectable } from '@nestjs/common';
import { requestContext } from '../../common/context/request-context';
import { Errors } from '../../common/http/errors';
import { Transactions } from '../../database/transactions';
import { DomainEvents } from '../../events/domain-events.publisher';
import { JobsService } from '../../jobs/jobs.service';
import { AuditService } from '../audit/audit.service';
import { AccountsService, refOf } from './accounts.service';
import { ApiTokensService } from './api-tokens.service';
import type { ChangePasswordDto } from './dto/auth.dto';
import { EmailTokensService } from './email-tokens.service';
import { normalizeEmail } from './identifiers';
import { LockoutService } from './lockout.service';
import { PasswordChangedEvent } from './identity.events';
import { PasswordsService } from './passwords.service';
import { SessionsService } from './sessions.service';
import { SignInService } from './sign-in.service';
import { UsersRepository } from './users.repository';

/** Password flows: forgotten (a mailed link), reset with the link, changed while signed in. */
@Injectable()
export class CredentialsService {
  constructor(
    private readonly users: UsersRepository,
    private readonly transactions: Transactions,
    private readonly accounts: AccountsService,
    private readonly passwords: PasswordsService,
    private readonly emailTokens: EmailTokensService,
    private readonly sessions: SessionsService,
    private readonly apiTokens: ApiTokensService,
    private readonly signIn: SignInService,
    private readonly lockout: LockoutService,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    private readonly jobs: JobsService,
  ) {}

  /**
   * Always succeeds from the caller's view, in the same time for any address: the lookup, the
   * link and its mail happen later, in the `account.password-reset` job (decision 53).
   */
  async forgotPassword(email: string): Promise<void> {
    await this.transactions.run(() => this.jobs.enqueue('account.password-reset', { email: normalizeEmail(email) }));
  }

  /** Checks the link and the new password before using the link up, so a refused password does not cost it. */
  async resetPassword(token: string, password: string): Promise<void> {
    const user = await this.users.findById(await this.emailTokens.peek(token, 'reset_password'));
    if (!user) throw Errors.badRequest('This link is invalid, used or expired; ask for a new one');
    await this.accounts.assertStrongPassword(password, [user.email, user.username, user.firstName]);
    const passwordHash = await this.passwords.hash(password);
    await this.transactions.run(async () => {
      if ((await this.emailTokens.consume(token, 'reset_password')) !== user.id) {
        throw Errors.badRequest('This link is invalid, used or expired; ask for a new one');
      }
      await this.users.update(user.id, {
        passwordHash,
        // The link came by mail: following it proves the address (invited accounts start here).
        ...(!user.emailVerifiedAt && { emailVerifiedAt: new Date() }),
      });
      // Whoever knew the old password is out, everywhere: sessions, other reset links, and
      // personal access tokens (a reset is how a taken-over account is recovered; decision 50).
      await this.sessions.revokeAllForUser(user.id, 'password_reset');
      await this.emailTokens.revokeAll(user.id, 'reset_password');
      await this.apiTokens.revokeAllForUser(user.id);
      await this.audit.record({ actorId: user.id, action: 'auth.password_reset', target: `user:${user.id}` });
      await this.events.publish(new PasswordChangedEvent(refOf(user), requestContext.current()?.ip ?? undefined));
    });
    await this.signIn.unlock(user.id);
  }

  async changePassword(userId: string, sessionId: string, input: ChangePasswordDto): Promise<void> {
    const user = await this.accounts.activeUser(userId);
    if (!(await this.lockout.check(user.id, () => this.passwords.verify(user.passwordHash, input.currentPassword)))) {
      throw Errors.invalidField('currentPassword', 'The current password is wrong', 'WRONG_PASSWORD');
    }
    await this.accounts.assertStrongPassword(input.newPassword, [user.email, user.username, user.firstName]);
    const passwordHash = await this.passwords.hash(input.newPassword);
    await this.transactions.run(async () => {
      await this.users.update(user.id, { passwordHash });
      await this.sessions.revokeAllForUser(user.id, 'password_changed', sessionId);
      // A reset link mailed before the change must not undo it.
      await this.emailTokens.revokeAll(user.id, 'reset_password');
      await this.audit.record({ actorId: user.id, action: 'auth.password_changed', target: `user:${user.id}` });
      await this.events.publish(new PasswordChangedEvent(refOf(user), requestContext.current()?.ip ?? undefined));
    });
  }
}
