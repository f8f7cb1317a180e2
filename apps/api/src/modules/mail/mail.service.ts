import { Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import { MailRenderer } from './mail-renderer';
import { MailTransport } from './mail.transport';
import { InvalidMailError, type MailDelivery, type MailJob } from './mail.types';

/** One plain address: a display name, a list or a line break in `to` could reach someone else. */
const SINGLE_ADDRESS = /^[^\s@<>()[\],;:"\\]+@[^\s@<>()[\],;:"\\]+\.[^\s@<>()[\],;:"\\]+$/;

/**
 * Renders and delivers one mail. Meant to be called from the `mail` queue's processor only, so
 * a slow or failing mail server never holds up a request and failures are retried.
 */
@Injectable()
export class MailService {
  private readonly logger = new Logger(MailService.name);

  constructor(
    private readonly renderer: MailRenderer,
    private readonly transport: MailTransport,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /**
   * Throws an `InvalidMailError` for a message that can never be sent, and the transport's own
   * error for a failed delivery; `isPermanentMailError` tells which ones are worth a retry.
   */
  async send(message: MailJob, idempotencyKey?: string): Promise<MailDelivery> {
    if (typeof message.to !== 'string' || !SINGLE_ADDRESS.test(message.to)) {
      throw new InvalidMailError(`A mail needs one plain recipient address, got ${JSON.stringify(message.to)}`);
    }
    const rendered = this.renderer.render(message.template, message.variables);
    // Delivery is at least once (a worker that dies after the server accepted a message sends it
    // again): the same job always carries the same Message-ID, so mail systems and readers can
    // tell a repeat from a new message.
    const messageId = idempotencyKey ? this.messageIdFor(idempotencyKey) : undefined;
    const delivery = await this.transport.deliver({ to: message.to, ...rendered, ...(messageId && { messageId }) });
    if (delivery.delivered === 'outbox') {
      // Without SMTP the log is how someone trying Atrium locally finishes sign-up; a production log
      // is read by more people and kept longer than a one-use link should be.
      const link = this.config.isProduction ? undefined : this.renderer.actionLink(message.template, message.variables);
      this.logger.log(
        `Mail to ${message.to} "${rendered.subject}" written to ${delivery.path ?? 'the outbox'} (SMTP_URL is not set)` +
          (link ? `; link: ${link}` : ''),
      );
    }
    return delivery;
  }

  /** `<job-key@sender-domain>`: stable per job, unique across jobs. */
  private messageIdFor(key: string): string {
    const domain = /@([^>\s]+)>?\s*$/.exec(this.config.mailFrom)?.[1] ?? 'atrium.local';
    return `<${key.replace(/[^A-Za-z0-9._-]/g, '.')}@${domain}>`;
  }
}
