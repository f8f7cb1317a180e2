import { Global, Module } from '@nestjs/common';
import { AuditService } from './audit.service';

/** The audit trail, writable from every module. */
@Global()
@Module({ providers: [AuditService], exports: [AuditService] })
export class AuditModule {}
