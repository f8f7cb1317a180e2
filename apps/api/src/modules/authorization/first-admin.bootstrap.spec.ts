import type { AppConfig } from '../../config/app-config';
import type { PasswordsService } from '../identity/passwords.service';
import type { FirstAdminService } from './first-admin';
import { FirstAdminBootstrap } from './first-admin.bootstrap';

describe('FirstAdminBootstrap', () => {
  const config = {
    bootstrapAdmin: { email: 'root@example.com', username: 'root', password: 'password1' },
  } as AppConfig;

  function bootstrap(
    adminExists: boolean,
    ensured: Promise<string> = Promise.reject(new Error('The admin password is too weak')),
  ) {
    ensured.catch(() => undefined);
    const firstAdmin = {
      adminExists: jest.fn(() => Promise.resolve(adminExists)),
      ensure: jest.fn(() => ensured),
    };
    const passwords = { releaseStrengthChecker: jest.fn(() => Promise.resolve()) };
    return {
      firstAdmin,
      passwords,
      run: () =>
        new FirstAdminBootstrap(
          config,
          firstAdmin as unknown as FirstAdminService,
          passwords as unknown as PasswordsService,
        ).onApplicationBootstrap(),
    };
  }

  it('while no active admin exists, ADMIN_PASSWORD is judged: a weak one stops the start', async () => {
    const { firstAdmin, run } = bootstrap(false);
    await expect(run()).rejects.toThrow('ADMIN_EMAIL/ADMIN_PASSWORD: The admin password is too weak');
    expect(firstAdmin.ensure).toHaveBeenCalledTimes(1);
  });

  it("ends the strength checker's worker once the admin is made, or refused, instead of keeping it idle", async () => {
    const made = bootstrap(false, Promise.resolve('created'));
    await expect(made.run()).resolves.toBeUndefined();
    expect(made.passwords.releaseStrengthChecker).toHaveBeenCalledTimes(1);

    const refused = bootstrap(false);
    await expect(refused.run()).rejects.toThrow('too weak');
    expect(refused.passwords.releaseStrengthChecker).toHaveBeenCalledTimes(1);
  });

  it('once an admin exists, a start neither judges nor hashes the unused password', async () => {
    const { firstAdmin, run } = bootstrap(true);
    await expect(run()).resolves.toBeUndefined();
    expect(firstAdmin.ensure).not.toHaveBeenCalled();
  });
});
