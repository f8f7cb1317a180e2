import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import type { MailDelivery } from './mail.types';

/** A rendered message for one recipient. */
export interface OutgoingMail {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** The Message-ID header, angle brackets included; generated when absent. */
  messageId?: string;
}

/** SMTP replies arrive within seconds from a healthy server; a queue retry beats a stuck worker. */
const SMTP_TIMEOUTS = {
  connectionTimeout: 10_000,
  greetingTimeout: 10_000,
  socketTimeout: 30_000,
  dnsTimeout: 10_000,
} as const;

/** Standard headers for mail a machine sends on its own (RFC 3834): out-of-office robots stay quiet. */
const AUTOMATED_HEADERS = { 'Auto-Submitted': 'auto-generated' } as const;

/**
 * Delivers rendered mail. With `SMTP_URL` set, through a pool of SMTP connections; without it,
 * into the outbox: one `.eml` file per message under `<DATA_DIR>/outbox/`, which any mail client
 * opens. Errors propagate untouched, so the queue can retry (see `isPermanentMailError`).
 */
@Injectable()
export class MailTransport implements OnModuleDestroy {
  readonly mode: MailDelivery['delivered'];
  readonly outboxDir: string;
  private smtp: Transporter | undefined;
  private outbox: Transporter | undefined;

  constructor(@InjectConfig() private readonly config: AppConfig) {
    this.mode = config.smtpUrl ? 'smtp' : 'outbox';
    this.outboxDir = join(config.dataDir, 'outbox');
  }

  async deliver(mail: OutgoingMail): Promise<MailDelivery> {
    const message = { ...mail, from: this.config.mailFrom, headers: AUTOMATED_HEADERS };
    if (this.config.smtpUrl) {
      // Created on first use: the API process builds this provider too, but only the worker sends.
      this.smtp ??= createTransport({ url: this.config.smtpUrl, pool: true, maxConnections: 5, ...SMTP_TIMEOUTS });
      const info = await this.smtp.sendMail(message);
      return { messageId: info.messageId, delivered: 'smtp' };
    }
    this.outbox ??= createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
    const info = await this.outbox.sendMail(message);
    if (!Buffer.isBuffer(info.message)) throw new Error('The outbox transport did not produce a buffered message');
    const path = await this.writeToOutbox(info.messageId, info.message);
    return { messageId: info.messageId, delivered: 'outbox', path };
  }

  /** Closes idle SMTP connections at once; one that is delivering a message finishes it first. */
  close(): void {
    this.smtp?.close();
    this.smtp = undefined;
  }

  onModuleDestroy(): void {
    this.close();
  }

  private async writeToOutbox(messageId: string, raw: Buffer): Promise<string> {
    // The outbox holds live sign-in and reset links: readable by this user only.
    await mkdir(this.outboxDir, { recursive: true, mode: 0o700 });
    const name = `${new Date().toISOString().replace(/:/g, '-')}-${fileSafeId(messageId)}.eml`;
    const path = join(this.outboxDir, name);
    // Written under a hidden name and renamed, so a watcher of `*.eml` never opens half a message.
    const partial = join(this.outboxDir, `.${name}.partial`);
    await writeFile(partial, raw, { mode: 0o600, flag: 'wx' });
    await rename(partial, path);
    return path;
  }
}

/** `<0a1b…@atrium.local>` → `0a1b…`: unique per message, and safe in a file name on any system. */
function fileSafeId(messageId: string): string {
  const local = messageId.replace(/^<|>$/g, '').split('@')[0] ?? '';
  const safe = local.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64);
  return safe || 'message';
}
