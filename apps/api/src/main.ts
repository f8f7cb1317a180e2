import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { RuntimeMode } from '@atrium/contracts';
import { createApp } from './bootstrap';
import { ConfigValidationError } from './config/app-config';
import { loadConfigFromEnvironment, loadDotEnvFile } from './config/config.module';
import { SetupService } from './modules/setup/setup.service';
import { applyHeapGrowth, disablePretenuring, settleHeap } from './runtime-heap';
import { installShutdown } from './shutdown';

async function main(): Promise<void> {
  loadDotEnvFile();
  const config = loadConfigFromEnvironment();
  applyHeapGrowth(config.heapGrowthPercent);
  disablePretenuring();
  const atrium = await createApp(config);
  const logger = new Logger('Bootstrap');
  installShutdown(atrium.close, config.shutdownTimeoutMs, logger);

  await atrium.app.listen({ port: config.port, host: config.host });
  settleHeap(config.heapGrowthPercent, (line) => logger.log(line));
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  logger.log(
    config.mode === RuntimeMode.EMBEDDED
      ? `Atrium ${config.version} listening on ${url} in EMBEDDED mode: PGlite database in ${config.dataDir}/pg, ` +
          `${config.redisUrl ? 'Redis for cache and rate limits' : 'in-memory cache and rate limits (no REDIS_URL)'} — for trying and developing Atrium, not for production`
      : `Atrium ${config.version} listening on ${url} in SERVICES mode: Postgres at ${redact(config.databaseUrl)}, ` +
          `${config.redisUrl ? `Redis at ${redact(config.redisUrl)}` : 'in-memory cache and rate limits (no REDIS_URL)'}`,
  );
  // While no admin exists: where to create one (and, in production, the one-time setup code).
  await atrium.app.get(SetupService).announce();
}

/** Credentials never reach a log line. */
function redact(url: string | undefined): string {
  if (url === undefined) return '';
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

main().catch((error: unknown) => {
  if (error instanceof ConfigValidationError) {
    console.error(error.message);
  } else {
    console.error('Atrium failed to start:', error);
  }
  process.exit(1);
});
