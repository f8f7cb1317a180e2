import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { UsersRepository } from '../identity/users.repository';
import { MediaStorageModule } from '../media/media-storage.module';
import { ExportDownloadsController, MyExportsController } from './exports.controller';
import { ExportsRepository } from './exports.repository';
import { ExportsService } from './exports.service';

/** Data exports: the build job (API in embedded mode, and the worker) and the service. */
@Module({
  imports: [AuditModule, MediaStorageModule],
  providers: [ExportsService, ExportsRepository, UsersRepository],
  exports: [ExportsService],
})
export class ExportsJobsModule {}

/** `POST/GET /me/exports` and the signed download. */
@Module({
  imports: [ExportsJobsModule],
  controllers: [MyExportsController, ExportDownloadsController],
})
export class ExportsModule {}
