import Redis from 'ioredis';
import { join } from 'node:path';
import { ManagedProcess } from './processes';
import { until } from './wait';

/**
 * A private `redis-server` on a loopback port, without persistence: a restart loses every key,
 * as a Redis without AOF/RDB does. It can be stopped (SIGTERM), frozen (SIGSTOP) and thawed.
 */
export class RedisServer {
  private readonly process: ManagedProcess;
  frozen = false;

  constructor(
    readonly port: number,
    private readonly dir: string,
    logDir: string,
  ) {
    this.process = new ManagedProcess({
      name: 'redis',
      command: 'redis-server',
      args: [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        '--protected-mode',
        'no',
      ],
      cwd: dir,
      env: { PATH: process.env.PATH ?? '' },
      logFile: join(logDir, 'redis.log'),
    });
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.process.running;
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  async start(): Promise<void> {
    this.process.spawn();
    this.frozen = false;
    await until(`redis on port ${this.port} answers PING`, () => this.ping(), 10_000);
  }

  /** SIGTERM (no save points: nothing is written), then waits for the exit. */
  async stop(): Promise<void> {
    if (this.frozen) this.thaw();
    await this.process.stop('SIGTERM', 10_000);
  }

  /** Stop and start again: every key is gone. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** SIGSTOP: connections stay open, nothing answers (a hung or partitioned Redis). */
  freeze(): void {
    this.process.signal('SIGSTOP');
    this.frozen = true;
  }

  thaw(): void {
    this.process.signal('SIGCONT');
    this.frozen = false;
  }

  async kill(): Promise<void> {
    this.frozen = false;
    await this.process.kill();
  }

  /** A fresh client for one use; `disconnect` it. Fails fast while Redis is down. */
  client(): Redis {
    return new Redis(this.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 1000,
      commandTimeout: 2000,
    });
  }

  /** Runs `use` with a short-lived client. */
  async with<T>(use: (redis: Redis) => Promise<T>): Promise<T> {
    const redis = this.client();
    try {
      await redis.connect();
      return await use(redis);
    } finally {
      redis.disconnect();
    }
  }

  async ping(): Promise<boolean> {
    if (this.frozen || !this.running) return false;
    try {
      return (await this.with((redis) => redis.ping())) === 'PONG';
    } catch {
      return false;
    }
  }

  /** `INFO clients` → connected_clients. */
  async connectedClients(): Promise<number> {
    const info = await this.with((redis) => redis.info('clients'));
    // The probe's own connection is one of them.
    return Number(/connected_clients:(\d+)/.exec(info)?.[1] ?? NaN) - 1;
  }

  tail(lines?: number): string {
    return this.process.tail(lines);
  }
}
