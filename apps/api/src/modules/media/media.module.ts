import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthorizationModule } from '../authorization/authorization.module';
import { MediaController, MediaFilesController } from './media.controller';
import { MediaRepository } from './media.repository';
import { MediaService } from './media.service';
import { MediaStorageModule } from './media-storage.module';

/** The media library: `POST/GET/PATCH/DELETE /media` and the public `GET /media/files/:key`. */
@Module({
  imports: [AuthorizationModule, AuditModule, MediaStorageModule],
  controllers: [MediaController, MediaFilesController],
  providers: [MediaService, MediaRepository],
  exports: [MediaService],
})
export class MediaModule {}
