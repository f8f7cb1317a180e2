import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const WORKER_ENTRY = resolve(__dirname, '../../dist/worker.js');

/**
 * The real worker (`node dist/worker.js`, as `npm run start:worker` and the image run it) as a
 * child process with its own environment; its JSON log lines are kept for assertions.
 */
export class WorkerProcess {
  readonly logs: string[] = [];
  private child?: ChildProcess;
  private exit?: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  port = 0;

  constructor(private readonly env: Record<string, string>) {}

  async start(): Promise<this> {
    if (!existsSync(WORKER_ENTRY)) throw new Error(`${WORKER_ENTRY} is missing: build the API first (npm run build)`);
    const child = spawn(process.execPath, [WORKER_ENTRY], {
      env: { PATH: process.env.PATH ?? '', WORKER_PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exit = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
    let buffered = '';
    const collect = (chunk: Buffer): void => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      this.logs.push(...lines.filter(Boolean));
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const started = await this.waitForLog(/started \(pid \d+\).* on port (\d+)/, 30_000);
    this.port = Number(/on port (\d+)/.exec(started)?.[1]);
    return this;
  }

  /** Resolves with the first log line matching `pattern`; rejects if the worker exits or time runs out. */
  async waitForLog(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const line = this.logs.find((l) => pattern.test(l));
      if (line) return line;
      if (this.child?.exitCode !== null) throw new Error(`worker exited:\n${this.logs.join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no log line matching ${pattern} within ${timeoutMs} ms:\n${this.logs.join('\n')}`);
  }

  async metrics(): Promise<string> {
    return (await fetch(`http://127.0.0.1:${this.port}/metrics`)).text();
  }

  /** Sends `signal` and waits for the process to end. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return (await this.exit) ?? { code: null, signal: null };
  }
}
