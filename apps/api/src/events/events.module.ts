import { type DynamicModule, Global, Module } from '@nestjs/common';
import { JOB_OUTBOX } from '../jobs/jobs.service';
import { DomainEvents } from './domain-events.publisher';
import { TransactionalJobOutbox } from './job-outbox';
import { OUTBOX_POLLING, OutboxRelay } from './outbox.relay';
import { OutboxRepository } from './outbox.repository';

/**
 * Domain events through the transactional outbox (infrastructure, hence global like the config):
 * `DomainEvents.publish` for services, the relay that delivers after commit and retries.
 * `poll: true` only in processes that hold every listener (the API): a process that lacks one
 * (the CLI) must not take others' events from the outbox.
 */
@Global()
@Module({})
export class EventsModule {
  static forRoot(options: { poll: boolean }): DynamicModule {
    return {
      module: EventsModule,
      providers: [
        { provide: OUTBOX_POLLING, useValue: options.poll },
        OutboxRepository,
        OutboxRelay,
        DomainEvents,
        { provide: JOB_OUTBOX, useClass: TransactionalJobOutbox },
      ],
      exports: [DomainEvents, OutboxRelay, JOB_OUTBOX],
    };
  }
}
