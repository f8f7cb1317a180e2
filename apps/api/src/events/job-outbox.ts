import { Injectable } from '@nestjs/common';
import type { QueueName } from '@atrium/contracts';
import { Transactions } from '../database/transactions';
import type { JobName } from '../jobs/job-definitions';
import type { JobOutbox } from '../jobs/jobs.service';
import type { AddJobOptions } from '../jobs/runners/job-runner';
import { type JobEnvelope, OutboxRelay } from './outbox.relay';

/**
 * Follow-up jobs through the same outbox as domain events: written in the caller's transaction,
 * handed to the queue after commit, kept until a worker reports them done.
 */
@Injectable()
export class TransactionalJobOutbox implements JobOutbox {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly transactions: Transactions,
  ) {}

  async enqueue(queue: QueueName, name: JobName, payload: unknown, options: AddJobOptions): Promise<string> {
    const envelope: JobEnvelope = { queue, payload, options };
    const [row] = await this.relay.add([
      { kind: 'job', name, payload: this.relay.seal(envelope), jobId: options.jobId },
    ]);
    await this.transactions.afterCommit(() => this.relay.deliver([row]));
    return row.jobId ?? row.id;
  }
}
