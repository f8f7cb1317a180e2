import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import { PasswordsService } from '../identity/passwords.service';
import { ensureFirstAdmin } from './first-admin';

/** ADMIN_EMAIL + ADMIN_PASSWORD: the first admin at start-up, once; a weak password stops the boot. */
@Injectable()
export class FirstAdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('FirstAdmin');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectConfig() private readonly config: AppConfig,
    private readonly passwords: PasswordsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const admin = this.config.bootstrapAdmin;
    if (!admin) return;
    const outcome = await ensureFirstAdmin(this.dataSource, this.passwords, admin, 'ADMIN_EMAIL').catch(
      (error: unknown) => {
        throw new Error(`ADMIN_EMAIL/ADMIN_PASSWORD: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
    if (outcome !== 'admin-exists') this.logger.log(`First admin ${admin.email} ${outcome} from ADMIN_EMAIL`);
  }
}
