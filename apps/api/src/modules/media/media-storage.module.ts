import { Module } from '@nestjs/common';
import { join } from 'node:path';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import type { AvatarStorage } from '../avatars/storage/avatar-storage';
import { LocalDiskAvatarStorage } from '../avatars/storage/local-disk-avatar.storage';
import { S3AvatarStorage } from '../avatars/storage/s3-avatar.storage';
import { MEDIA_STORAGE } from './media.service';

/**
 * Where the media library's images live (the avatar drivers): `DATA_DIR/uploads/media`, or the S3
 * bucket under `media/` (beside `avatars/`). For the API and for jobs (exports) alike.
 */
@Module({
  providers: [
    {
      provide: MEDIA_STORAGE,
      inject: [APP_CONFIG],
      useFactory: async ({ avatarStorage, dataDir }: AppConfig): Promise<AvatarStorage> =>
        avatarStorage.driver === 's3'
          ? await S3AvatarStorage.fromConfig({
              ...avatarStorage,
              prefix: `${avatarStorage.prefix.replace(/avatars\/$/, '')}media/`,
            })
          : new LocalDiskAvatarStorage(join(dataDir, 'uploads', 'media')),
    },
  ],
  exports: [MEDIA_STORAGE],
})
export class MediaStorageModule {}
