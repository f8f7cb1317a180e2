import type { LoggerService } from '@nestjs/common';

/**
 * SIGTERM/SIGINT: stop accepting connections, let in-flight work finish, close pools, exit 0.
 * A second signal, or the timeout, exits at once with 1 so a stuck drain cannot block a deploy.
 */
export function installShutdown(close: () => Promise<void>, timeoutMs: number, logger: LoggerService): void {
  let shuttingDown = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (shuttingDown) {
      logger.warn?.(`${signal} received again; exiting now`);
      process.exit(1);
    }
    shuttingDown = true;
    logger.log(`${signal} received; draining in-flight work (up to ${timeoutMs} ms)`);
    const timer = setTimeout(() => {
      logger.error(`Shutdown did not finish within ${timeoutMs} ms; exiting`);
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    close().then(
      () => {
        logger.log('Shutdown complete');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error(`Shutdown failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
