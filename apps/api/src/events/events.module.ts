import { type DynamicModule, Global, Module } from '@nestjs/common';
import { DomainEvents } from './domain-events.publisher';
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
      providers: [{ provide: OUTBOX_POLLING, useValue: options.poll }, OutboxRepository, OutboxRelay, DomainEvents],
      exports: [DomainEvents, OutboxRelay],
    };
  }
}
