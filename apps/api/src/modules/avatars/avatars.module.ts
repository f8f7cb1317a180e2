import { Module } from '@nestjs/common';
import { join } from 'node:path';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { AuditModule } from '../audit/audit.module';
import { IdentityModule } from '../identity/identity.module';
import { AvatarsController, MeAvatarController } from './avatars.controller';
import { AvatarsService } from './avatars.service';
import { AVATAR_STORAGE, type AvatarStorage } from './storage/avatar-storage';
import { LocalDiskAvatarStorage } from './storage/local-disk-avatar.storage';
import { S3AvatarStorage } from './storage/s3-avatar.storage';

/**
 * `PUT`/`DELETE /me/avatar` and the public `GET /avatars/:key`; images in an S3-compatible bucket
 * when S3_BUCKET is set, else on local disk under DATA_DIR.
 */
@Module({
  imports: [IdentityModule, AuditModule],
  controllers: [MeAvatarController, AvatarsController],
  providers: [
    AvatarsService,
    {
      provide: AVATAR_STORAGE,
      inject: [APP_CONFIG],
      useFactory: async ({ avatarStorage, dataDir }: AppConfig): Promise<AvatarStorage> =>
        avatarStorage.driver === 's3'
          ? await S3AvatarStorage.fromConfig(avatarStorage)
          : new LocalDiskAvatarStorage(join(dataDir, 'uploads', 'avatars')),
    },
  ],
  exports: [AvatarsService],
})
export class AvatarsModule {}
