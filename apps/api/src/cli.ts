import 'reflect-metadata';
import { type DynamicModule, type INestApplicationContext, Logger as NestLogger, Module } from '@nestjs/common';
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
import { FirstAdminService } from './modules/authorization/first-admin';
import { RolesService } from './modules/authorization/roles.service';
import { AdminCliModule } from './cli-admin.module';
import { EmbeddedPostgres } from './database/embedded-postgres';
import { createInterface } from 'node:readline';

const USAGE = `Usage: npm run cli -- <command>
  create-admin --email <address> --username <name>
                        create the first admin (password from ADMIN_PASSWORD, or a hidden
                        prompt in a terminal); does nothing when an active admin exists
  assign-role <email|username> <role> [--expires <ISO date>]
                        give a user a role (e.g. editor)
  mail:test <address>   send a test mail through the mail queue and the configured transport
                        (SMTP_URL, or the outbox under DATA_DIR/outbox without it)
Commands that use the database open DATABASE_URL, or the embedded one in DATA_DIR
(stop the API first in embedded mode).`;

/**
 * Operator commands (`npm run cli -- <command>`). Mail needs no database, so this context opens none: in embedded mode it
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

/** `--name value` options and the remaining positional arguments. */
function parseArgs(args: string[]): { options: Record<string, string>; positional: string[] } {
  const options: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(args[i]);
    if (!match) positional.push(args[i]);
    else options[match[1]] = match[2] ?? args[(i += 1)] ?? '';
  }
  return { options, positional };
}

/** Reads a password in a terminal without echoing it; `undefined` when the input ends first (Ctrl-D). */
async function promptPassword(question: string): Promise<string | undefined> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const muted = rl as unknown as { _writeToOutput?: (s: string) => void };
  muted._writeToOutput = () => undefined;
  process.stdout.write(question);
  const answer = await new Promise<string | undefined>((resolve) => {
    rl.once('close', () => resolve(undefined));
    rl.question('', resolve);
  });
  rl.close();
  process.stdout.write('\n');
  return answer;
}

const NO_PASSWORD =
  'create-admin needs a password: set ADMIN_PASSWORD (e.g. ADMIN_PASSWORD=... npm run cli -- create-admin ...), ' +
  'or run it in a terminal to be asked for one. Nothing was changed.';

async function createAdmin(config: AppConfig, args: string[]): Promise<number> {
  const { options } = parseArgs(args);
  if (!options.email || !options.username) {
    console.error(USAGE);
    return 2;
  }
  // Without a terminal (a script, CI, a container without -t) nobody can answer a prompt: fail
  // loudly instead of waiting, or ending as if it had worked.
  if (config.adminPassword === undefined && !process.stdin.isTTY) {
    console.error(NO_PASSWORD);
    return 1;
  }
  const password = config.adminPassword ?? (await promptPassword('Password for the new admin: '));
  if (password === undefined) {
    console.error(NO_PASSWORD);
    return 1;
  }
  return withAdminContext(config, async (app) => {
    // The same path as the ADMIN_EMAIL bootstrap and sign-up: one way to create an account.
    const outcome = await app
      .get(FirstAdminService)
      .ensure({ email: options.email, username: options.username, password }, 'cli');
    const messages = {
      created: `Admin ${options.email} created; sign in with that password.`,
      promoted: `The existing account ${options.email} is now an admin.`,
      'admin-exists': 'An active admin exists already; nothing changed (use assign-role to add another).',
    };
    console.log(messages[outcome]);
    return 0;
  });
}

/**
 * Runs an account command on the API's own services (the installation's database: DATABASE_URL,
 * or the embedded one under DATA_DIR — then the API must be stopped, PGlite serves one process).
 * A refused request (weak password, unknown user) prints its message and exits 1.
 */
async function withAdminContext(
  config: AppConfig,
  work: (app: INestApplicationContext) => Promise<number>,
): Promise<number> {
  let embedded: EmbeddedPostgres | undefined;
  let app: INestApplicationContext | undefined;
  try {
    // Refused while the API (or another command) has the embedded database open: print why, exit 1.
    embedded = config.databaseUrl ? undefined : await EmbeddedPostgres.start(config.dataDir, 4);
    app = await NestFactory.createApplicationContext(
      AdminCliModule.forRoot(config, config.databaseUrl ?? (embedded as EmbeddedPostgres).url),
      { logger: ['error'] },
    );
    return await work(app);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  } finally {
    await app?.close();
    await embedded?.stop();
  }
}

async function assignRole(config: AppConfig, args: string[]): Promise<number> {
  const { options, positional } = parseArgs(args);
  const [login, roleName] = positional;
  if (!login || !roleName) {
    console.error(USAGE);
    return 2;
  }
  const expiresAt = options.expires ? new Date(options.expires) : null;
  if (expiresAt && (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= Date.now())) {
    console.error('--expires must be a future ISO-8601 date');
    return 2;
  }
  return withAdminContext(config, async (app) => {
    await app.get(RolesService).assignByOperator(login, roleName, expiresAt);
    console.log(`${login} now has the role ${roleName}${expiresAt ? ` until ${expiresAt.toISOString()}` : ''}.`);
    return 0;
  });
}

async function run(argv: string[]): Promise<number> {
  loadDotEnvFile();
  const config = { ...loadConfigFromEnvironment(), serviceName: 'atrium-cli' };
  const [command, ...args] = argv;
  switch (command) {
    case 'mail:test':
      return mailTest(config, args[0]);
    case 'create-admin':
      return createAdmin(config, args);
    case 'assign-role':
      return assignRole(config, args);
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
