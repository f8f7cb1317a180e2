import { Injectable } from '@nestjs/common';
import { PermanentJobError } from '../../jobs/job-errors';
import { JobRegistry } from '../../jobs/job.registry';
import { MailService } from './mail.service';
import { isPermanentMailError } from './mail.errors';

/** The only place mail is sent: the `mail.send` job, retried with backoff unless the failure is permanent. */
@Injectable()
export class MailProcessor {
  constructor(registry: JobRegistry, mail: MailService) {
    registry.handle('mail.send', async (message, context) => {
      try {
        await mail.send(message, `${context.queue}.${context.id}`);
      } catch (error) {
        if (isPermanentMailError(error)) {
          throw new PermanentJobError(error instanceof Error ? error.message : String(error), { cause: error });
        }
        throw error;
      }
    });
  }
}
