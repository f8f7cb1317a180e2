import type { AppConfig } from '../../config/app-config';
import type { FirstAdminService } from './first-admin';
import { FirstAdminBootstrap } from './first-admin.bootstrap';

describe('FirstAdminBootstrap', () => {
  const config = {
    bootstrapAdmin: { email: 'root@example.com', username: 'root', password: 'password1' },
  } as AppConfig;

  function bootstrap(adminExists: boolean) {
    const firstAdmin = {
      adminExists: jest.fn(() => Promise.resolve(adminExists)),
      ensure: jest.fn(() => Promise.reject(new Error('The admin password is too weak'))),
    };
    return {
      firstAdmin,
      run: () => new FirstAdminBootstrap(config, firstAdmin as unknown as FirstAdminService).onApplicationBootstrap(),
    };
  }

  it('while no active admin exists, ADMIN_PASSWORD is judged: a weak one stops the start', async () => {
    const { firstAdmin, run } = bootstrap(false);
    await expect(run()).rejects.toThrow('ADMIN_EMAIL/ADMIN_PASSWORD: The admin password is too weak');
    expect(firstAdmin.ensure).toHaveBeenCalledTimes(1);
  });

  it('once an admin exists, a start neither judges nor hashes the unused password', async () => {
    const { firstAdmin, run } = bootstrap(true);
    await expect(run()).resolves.toBeUndefined();
    expect(firstAdmin.ensure).not.toHaveBeenCalled();
  });
});
