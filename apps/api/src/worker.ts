import 'reflect-metadata';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigValidationError } from './config/app-config';
import { loadConfigFromEnvironment, loadDotEnvFile } from './config/config.module';
import { installShutdown } from './shutdown';
import { WorkerModule } from './worker.module';

/**
 * `npm run start:worker`: a Nest application context (no HTTP server) that runs background work.
 * It needs the shared services: in embedded mode the API process does this work itself.
 */
async function main(): Promise<void> {
  loadDotEnvFile();
  const config = { ...loadConfigFromEnvironment(), serviceName: 'atrium-worker' };
  if (config.databaseUrl === undefined || config.redisUrl === undefined) {
    throw new ConfigValidationError([
      'The worker needs DATABASE_URL and REDIS_URL; without them (embedded mode) the API runs background work in-process',
    ]);
  }
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, config.databaseUrl), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.flushLogs();
  const logger = new NestLogger('Worker');
  installShutdown(() => app.close(), config.shutdownTimeoutMs, logger);
  logger.log(`Atrium worker ${config.version} started (pid ${process.pid})`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigValidationError) console.error(error.message);
  else console.error('Atrium worker failed to start:', error);
  process.exit(1);
});
