import 'reflect-metadata';
import { type DynamicModule, Logger as NestLogger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger, LoggerModule } from 'nestjs-pino';
import { JobState } from '@atrium/contracts';
import { buildLoggerOptions } from './common/logging/logger-options';
import { type AppConfig, ConfigValidationError } from './config/app-config';
import { ConfigModule, loadConfigFromEnvironment, loadDotEnvFile } from './config/config.module';
import { JOB_QUEUES } from './jobs/job-definitions';
import { JobsModule } from './jobs/jobs.module';
import { JobsService } from './jobs/jobs.service';
import { JOB_RUNNER, type JobQueueRunner, type JobSummary } from './jobs/runners/job-runner';
import { appLink } from './modules/mail/mail.types';
import { MailModule } from './modules/mail/mail.module';
import { MetricsModule } from './modules/metrics/metrics.module';
import { RedisModule } from './redis/redis.module';

const USAGE = `Usage: npm run cli -- <command>
  mail:test <address>   send a test mail through the mail queue and the configured transport
                        (SMTP_URL, or the outbox under DATA_DIR/outbox without it)`;

/**
 * Operator commands. Mail needs no database, so this context opens none: in embedded mode it
 * never competes with a running API for the PGlite data directory.
 */
@Module({})
class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(buildLoggerOptions(config)),
        RedisModule,
        MetricsModule,
        // Without Redis nobody else would run the job: this process does, as the embedded API would.
        JobsModule.forRoot({ config, process: config.redisUrl === undefined }),
        MailModule,
      ],
    };
  }
}

async function waitForJob(runner: JobQueueRunner, id: string, timeoutMs: number): Promise<JobSummary | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await runner.getJob(JOB_QUEUES['mail.send'], id);
    const finished = job?.state === JobState.COMPLETED || job?.state === JobState.FAILED;
    if (finished || Date.now() > deadline) return job;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function mailTest(config: AppConfig, to: string | undefined): Promise<number> {
  if (!to) {
    console.error(USAGE);
    return 2;
  }
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.flushLogs();
  const logger = new NestLogger('Cli');
  try {
    const id = await app.get(JobsService).enqueue('mail.send', {
      to,
      template: 'delivery-test',
      variables: { requestedAt: new Date().toISOString(), appUrl: appLink(config, '/') },
    });
    logger.log(`Test mail to ${to} queued as job ${id}; waiting for it to be sent`);
    const job = await waitForJob(app.get<JobQueueRunner>(JOB_RUNNER), id, 60_000);
    if (job?.state === JobState.COMPLETED) {
      logger.log(`Test mail to ${to} sent (${config.smtpUrl ? 'SMTP' : `outbox: ${config.dataDir}/outbox`})`);
      return 0;
    }
    if (job?.state === JobState.FAILED) {
      logger.error(`Test mail to ${to} failed: ${job.failedReason ?? 'unknown reason'}`);
      return 1;
    }
    logger.error(
      `Test mail to ${to} is still ${job?.state ?? 'unknown'} after 60 s` +
        (config.redisUrl ? '; is a worker running (npm run start:worker)?' : ''),
    );
    return 1;
  } finally {
    await app.close();
  }
}

async function run(argv: string[]): Promise<number> {
  loadDotEnvFile();
  const config = { ...loadConfigFromEnvironment(), serviceName: 'atrium-cli' };
  const [command, ...args] = argv;
  switch (command) {
    case 'mail:test':
      return mailTest(config, args[0]);
    default:
      console.error(USAGE);
      return 2;
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigValidationError ? error.message : error);
    process.exit(1);
  },
);
