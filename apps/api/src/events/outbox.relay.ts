import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { SecretBox } from '../common/crypto/secret-box';
import type { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.module';
import { type ClaimedEvent, OutboxRepository } from './outbox.repository';

/** How often each API process looks for events whose delivery failed or whose deliverer died. */
const POLL_INTERVAL_MS = 5_000;
const BATCH = 50;
/** A claimed event is redelivered after this long if its deliverer never reported back. */
const LEASE_SECONDS = 60;
const MAX_BACKOFF_MS = 5 * 60_000;

/** Whether this process polls the outbox (EventsModule.forRoot). */
export const OUTBOX_POLLING = Symbol('OutboxPolling');

/**
 * Delivers outbox events to the in-process listeners (`@OnEvent`), at least once: right after the
 * commit that wrote them, and again later (exponential backoff, up to five minutes apart) until
 * every listener succeeded. Listeners are idempotent (mail jobs carry ids derived from the event).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Outbox');
  private readonly box: SecretBox;
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly emitter: EventEmitter2,
    @InjectConfig() config: AppConfig,
    @Inject(OUTBOX_POLLING) private readonly polling: boolean,
  ) {
    this.box = new SecretBox(config.dataEncryptionKey, 'outbox');
  }

  onApplicationBootstrap(): void {
    if (!this.polling) return;
    this.timer = setInterval(() => void this.drain(), POLL_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.draining;
  }

  /** Delivers the given events now (those another process has not claimed). Never throws. */
  async deliver(ids: string[]): Promise<void> {
    try {
      const claimed = await this.outbox.claim({ ids, limit: ids.length, leaseSeconds: LEASE_SECONDS });
      await this.dispatch(claimed);
    } catch (error) {
      this.logger.warn(`Outbox delivery deferred: ${messageOf(error)}`);
    }
  }

  /** Delivers every due event (the poller; tests call it to skip the wait). */
  drain(): Promise<void> {
    this.draining ??= (async () => {
      try {
        for (;;) {
          const claimed = await this.outbox.claim({ limit: BATCH, leaseSeconds: LEASE_SECONDS });
          await this.dispatch(claimed);
          if (claimed.length < BATCH) break;
        }
      } catch (error) {
        this.logger.warn(`Outbox poll failed: ${messageOf(error)}`);
      } finally {
        this.draining = undefined;
      }
    })();
    return this.draining;
  }

  private async dispatch(events: ClaimedEvent[]): Promise<void> {
    const delivered: string[] = [];
    for (const event of events) {
      try {
        await this.emitter.emitAsync(event.name, JSON.parse(this.box.open(event.payload)));
        delivered.push(event.id);
      } catch (error) {
        const delayMs = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(event.attempts, 20));
        this.logger.warn(
          `Event ${event.name} (${event.id}) not delivered, retry in ${delayMs} ms: ${messageOf(error)}`,
        );
        await this.outbox.retryLater(event.id, delayMs, messageOf(error));
      }
    }
    await this.outbox.delete(delivered);
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
