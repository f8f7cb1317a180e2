import { Injectable } from '@nestjs/common';
import { SystemRole } from '@atrium/contracts';
import { Errors } from '../../common/http/errors';
import { Transactions } from '../../database/transactions';
import { AuditService } from '../audit/audit.service';
import { AccountsService } from '../identity/accounts.service';
import { normalizeEmail } from '../identity/identifiers';
import { PasswordsService } from '../identity/passwords.service';
import { UsersRepository } from '../identity/users.repository';
import { DomainEvents } from '../../events/domain-events.publisher';
import { UserRolesChangedEvent } from './authorization.events';
import { RolesRepository } from './roles.repository';

export interface FirstAdminInput {
  email: string;
  username: string;
  password: string;
}

export type FirstAdminOutcome = 'created' | 'promoted' | 'admin-exists';

/**
 * Makes sure an admin exists: creates the account (email marked verified) through the one
 * account-creation path, or promotes an existing one with that email. Idempotent: with an active
 * admin present it changes nothing. Used by `npm run cli -- create-admin` and by the start-up
 * bootstrap (ADMIN_EMAIL/ADMIN_PASSWORD).
 */
@Injectable()
export class FirstAdminService {
  constructor(
    private readonly transactions: Transactions,
    private readonly accounts: AccountsService,
    private readonly users: UsersRepository,
    private readonly roles: RolesRepository,
    private readonly passwords: PasswordsService,
    private readonly events: DomainEvents,
    private readonly audit: AuditService,
  ) {}

  async ensure(input: FirstAdminInput, source: string): Promise<FirstAdminOutcome> {
    const verdict = await this.passwords.check(input.password, [input.email, input.username]);
    if (!verdict.ok) throw Errors.badRequest(`The admin password is too weak: ${verdict.message ?? ''}`);
    const passwordHash = await this.passwords.hash(input.password);
    return this.transactions.run(async () => {
      // One bootstrap at a time, even with several replicas starting together.
      await this.transactions.lock('first-admin');
      if (await this.roles.activeAdminExists()) return 'admin-exists';
      const existing = await this.users.findByLogin(normalizeEmail(input.email));
      const user =
        existing ??
        (await this.accounts.createAccount({
          email: input.email,
          username: input.username,
          passwordHash,
          emailVerified: true,
        }));
      for (const role of [SystemRole.ADMIN, SystemRole.USER]) {
        await this.roles.assignSystemRole(user.id, role, { keepExpiry: false });
      }
      await this.audit.record({
        actorId: null,
        action: 'admin.bootstrapped',
        target: `user:${user.id}`,
        metadata: { source, promoted: !!existing },
      });
      await this.events.publish(new UserRolesChangedEvent(user.id));
      return existing ? 'promoted' : 'created';
    });
  }
}
