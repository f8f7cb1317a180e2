import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import { FirstAdminService } from './first-admin';

/** ADMIN_EMAIL + ADMIN_PASSWORD: the first admin at start-up, once; a weak password stops the boot. */
@Injectable()
export class FirstAdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('FirstAdmin');

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly firstAdmin: FirstAdminService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const admin = this.config.bootstrapAdmin;
    if (!admin) return;
    const outcome = await this.firstAdmin.ensure(admin, 'ADMIN_EMAIL').catch((error: unknown) => {
      throw new Error(`ADMIN_EMAIL/ADMIN_PASSWORD: ${error instanceof Error ? error.message : String(error)}`);
    });
    if (outcome !== 'admin-exists') this.logger.log(`First admin ${admin.email} ${outcome} from ADMIN_EMAIL`);
  }
}
