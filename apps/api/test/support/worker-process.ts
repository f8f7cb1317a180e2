import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const WORKER_ENTRY = resolve(__dirname, '../../dist/worker.js');
/** The API's entry point (`node dist/main.js`, as `npm start` and the image run it). */
export const API_ENTRY = resolve(__dirname, '../../dist/main.js');

/** The line each entry point logs once it is up, with the port it answers on. */
const UP = /started \(pid \d+\).* on port (\d+)|listening on http:\/\/[^\s:]+:(\d+)/;

/**
 * The real worker (`node dist/worker.js`, as `npm run start:worker` and the image run it), or
 * another compiled entry point such as the API's, as a child process with its own environment; its
 * JSON log lines are kept for assertions.
 */
export class WorkerProcess {
  readonly logs: string[] = [];
  private child?: ChildProcess;
  private exit?: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  port = 0;

  constructor(
    private readonly env: Record<string, string>,
    private readonly entry = WORKER_ENTRY,
  ) {}

  async start(): Promise<this> {
    if (!existsSync(this.entry)) throw new Error(`${this.entry} is missing: build the API first (npm run build)`);
    const child = spawn(process.execPath, [this.entry], {
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
    const up = UP.exec(await this.waitForLog(UP, 30_000));
    this.port = Number(up?.[1] ?? up?.[2]);
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
