import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions';
import type { DomainEvent } from './domain-events';
import { OutboxRelay } from './outbox.relay';

/**
 * The one way services announce what happened (docs/ARCHITECTURE.md, "Events after commit").
 * Events are written to the outbox in the caller's transaction and delivered to listeners only
 * after it commits — at once, in this process, before the request answers; a delivery that fails
 * (say, the mail queue is down) stays in the outbox and is retried by the relay, so a committed
 * write never turns into an error, and a rolled-back one never sends anything.
 */
@Injectable()
export class DomainEvents {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly transactions: Transactions,
  ) {}

  async publish(...events: DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    const rows = await this.relay.add(
      events.map((event) => ({ kind: 'event' as const, name: event.name, payload: this.relay.seal(event) })),
    );
    await this.transactions.afterCommit(() => this.relay.deliver(rows));
  }
}
