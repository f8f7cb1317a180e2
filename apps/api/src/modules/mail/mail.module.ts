import { Module } from '@nestjs/common';
import { MailRenderer } from './mail-renderer';
import { MailEventsListener } from './mail-events.listener';
import { MailProcessor } from './mail.processor';
import { MailService } from './mail.service';
import { MailTransport } from './mail.transport';

/** Rendering and delivery of mail; the global `APP_CONFIG` provides SMTP_URL, MAIL_FROM, APP_URL and DATA_DIR. */
@Module({
  providers: [MailRenderer, MailTransport, MailService, MailProcessor, MailEventsListener],
  exports: [MailService, MailRenderer],
})
export class MailModule {}
