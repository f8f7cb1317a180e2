import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import { PasswordsService } from '../identity/passwords.service';
import { FirstAdminService } from './first-admin';

/**
 * ADMIN_EMAIL + ADMIN_PASSWORD: the first admin at start-up, once; a weak password stops the boot.
 * Once an active admin exists the variables are not used, so a start does not judge or hash the
 * password (the strength checker alone is about 60 MB of memory, decision 84). When it does, the
 * checker's worker ends as soon as the admin is made, not after its idle time (decision 108).
 */
@Injectable()
export class FirstAdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('FirstAdmin');

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly firstAdmin: FirstAdminService,
    private readonly passwords: PasswordsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const admin = this.config.bootstrapAdmin;
    if (!admin || (await this.firstAdmin.adminExists())) return;
    const outcome = await this.firstAdmin
      .ensure(admin, 'ADMIN_EMAIL')
      .catch((error: unknown) => {
        throw new Error(`ADMIN_EMAIL/ADMIN_PASSWORD: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => this.passwords.releaseStrengthChecker());
    if (outcome !== 'admin-exists') this.logger.log(`First admin ${admin.email} ${outcome} from ADMIN_EMAIL`);
  }
}
