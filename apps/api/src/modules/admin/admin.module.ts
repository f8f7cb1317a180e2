import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AdminQueuesController } from './queues.controller';
import { AdminQueuesService } from './queues.service';
import { AdminStatsController } from './stats.controller';
import { StatsRepository } from './stats.repository';
import { AdminStatsService } from './stats.service';

/** Operations: background queues (inspect, retry, remove jobs) and dashboard statistics. */
@Module({
  imports: [AuditModule],
  controllers: [AdminQueuesController, AdminStatsController],
  providers: [AdminQueuesService, AdminStatsService, StatsRepository],
})
export class AdminModule {}
