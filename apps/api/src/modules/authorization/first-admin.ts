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

/** Where a first admin came from (the audit entry's `metadata.source`). */
export type FirstAdminSource = 'ADMIN_EMAIL' | 'cli' | 'setup';

/**
 * Makes sure an admin exists: creates the account (email marked verified) through the one
 * account-creation path, or promotes an existing one with that email. Idempotent: with an active
 * admin present it changes nothing. Used by `npm run cli -- create-admin`, by the start-up
 * bootstrap (ADMIN_EMAIL/ADMIN_PASSWORD) and by first-run setup (`POST /setup`, which only
 * creates: it never promotes an account someone else signed up).
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

  /** Whether an active, unexpired admin exists (while none does, first-run setup is open). */
  adminExists(): Promise<boolean> {
    return this.roles.activeAdminExists();
  }

  async ensure(input: FirstAdminInput, source: string): Promise<FirstAdminOutcome> {
    const verdict = await this.passwords.check(input.password, [input.email, input.username]);
    if (!verdict.ok) throw Errors.badRequest(`The admin password is too weak: ${verdict.message ?? ''}`);
    const passwordHash = await this.passwords.hash(input.password);
    return this.transactions.run(async () => {
      const outcome = await this.lockedWhileNoAdmin(async (): Promise<FirstAdminOutcome> => {
        const existing = await this.users.findByLogin(normalizeEmail(input.email));
        const userId = existing?.id ?? (await this.create(input, passwordHash));
        await this.grant(userId, source, !!existing);
        return existing ? 'promoted' : 'created';
      });
      return outcome ?? 'admin-exists';
    });
  }

  /**
   * First-run setup: creates a new account as the first admin, or answers `null` when an admin
   * exists (checked under the same advisory lock as `ensure`, so of two concurrent calls exactly
   * one succeeds). A taken email or username is a 409, a weak password a field error. `alongside`
   * runs in the same transaction once the admin is in place (the site's name, spent setup codes).
   */
  async claim(
    input: FirstAdminInput,
    source: FirstAdminSource,
    alongside: (userId: string) => Promise<void> = () => Promise.resolve(),
  ): Promise<{ userId: string } | null> {
    await this.accounts.assertStrongPassword(input.password, [input.email, input.username]);
    const passwordHash = await this.passwords.hash(input.password);
    return this.transactions.run(() =>
      this.lockedWhileNoAdmin(async () => {
        const userId = await this.create(input, passwordHash);
        await this.grant(userId, source, false);
        await alongside(userId);
        return { userId };
      }),
    );
  }

  /** `work` under the first-admin lock, only while no admin exists (`null` otherwise). */
  private async lockedWhileNoAdmin<T>(work: () => Promise<T>): Promise<T | null> {
    // One bootstrap at a time, even with several replicas starting together.
    await this.transactions.lock('first-admin');
    if (await this.roles.activeAdminExists()) return null;
    return work();
  }

  private async create(input: FirstAdminInput, passwordHash: string): Promise<string> {
    const user = await this.accounts.createAccount({
      email: input.email,
      username: input.username,
      passwordHash,
      emailVerified: true,
    });
    return user.id;
  }

  private async grant(userId: string, source: string, promoted: boolean): Promise<void> {
    for (const role of [SystemRole.ADMIN, SystemRole.USER]) {
      await this.roles.assignSystemRole(userId, role, { keepExpiry: false });
    }
    await this.audit.record({
      actorId: null,
      action: 'admin.bootstrapped',
      target: `user:${userId}`,
      metadata: { source, promoted },
    });
    await this.events.publish(new UserRolesChangedEvent(userId));
  }
}
