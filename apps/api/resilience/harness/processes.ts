import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';

/** Every process group the harness started and has not seen exit: killed when the test process leaves. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function killLiveGroups(): void {
  for (const pid of liveGroups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  liveGroups.clear();
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A test run that dies (a failed assertion never reaches afterAll, Ctrl-C, a timeout) must not
  // leave Redis, Postgres or an API listening on the machine.
  process.once('exit', killLiveGroups);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killLiveGroups();
      process.exit(130);
    });
  }
}

export interface ProcessSpec {
  /** Short name, used in messages and for the log file. */
  name: string;
  command: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run as this user (the harness is root; Postgres refuses to run as root). */
  uid?: number;
  gid?: number;
  /** stdout and stderr are appended here. */
  logFile: string;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * One real process in a process group of its own (so its children go with it), its output
 * appended to a log file. `start` may be called again after it exited: a restart.
 */
export class ManagedProcess {
  private child: ChildProcess | undefined;
  private exitPromise: Promise<Exit> | undefined;
  /** How often it was started; a restart counts. */
  starts = 0;
  lastExit: Exit | undefined;

  constructor(readonly spec: ProcessSpec) {}

  get name(): string {
    return this.spec.name;
  }

  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves when the current run ends (at once when nothing runs). */
  get exited(): Promise<Exit> {
    return this.exitPromise ?? Promise.resolve(this.lastExit ?? { code: null, signal: null });
  }

  spawn(): void {
    if (this.running) throw new Error(`${this.name} is already running (pid ${String(this.child?.pid)})`);
    installExitHook();
    const log = openSync(this.spec.logFile, 'a');
    const options: SpawnOptions = {
      env: this.spec.env,
      cwd: this.spec.cwd,
      detached: true,
      stdio: ['ignore', log, log],
      uid: this.spec.uid,
      gid: this.spec.gid,
    };
    let child: ChildProcess;
    try {
      child = spawn(this.spec.command, [...this.spec.args], options);
    } finally {
      closeSync(log);
    }
    this.child = child;
    this.starts += 1;
    const pid = child.pid;
    if (pid !== undefined) liveGroups.add(pid);
    this.exitPromise = new Promise<Exit>((resolve) => {
      child.once('exit', (code, signal) => {
        if (pid !== undefined) liveGroups.delete(pid);
        this.lastExit = { code, signal };
        resolve(this.lastExit);
      });
      child.once('error', (error) => {
        if (pid !== undefined) liveGroups.delete(pid);
        this.lastExit = { code: null, signal: null };
        this.appendNote(`spawn failed: ${error.message}`);
        resolve(this.lastExit);
      });
    });
  }

  /** Sends `signal` to the process itself (as an orchestrator does to a container's main process). */
  signal(signal: NodeJS.Signals): void {
    if (this.running && this.child?.pid !== undefined) process.kill(this.child.pid, signal);
  }

  /** Sends `signal` to its whole process group. */
  signalGroup(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // the group is gone
    }
  }

  /**
   * Sends `signal` and waits for the exit; after `graceMs` the group is killed. Also kills what
   * is left of the group (children that outlived their parent).
   */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 30_000): Promise<Exit> {
    if (!this.running) {
      this.signalGroup('SIGKILL');
      return this.exited;
    }
    this.signal(signal);
    let timer: NodeJS.Timeout | undefined;
    const forced = new Promise<'forced'>((resolve) => {
      timer = setTimeout(() => resolve('forced'), graceMs);
    });
    const outcome = await Promise.race([this.exited, forced]);
    clearTimeout(timer);
    if (outcome === 'forced') {
      this.appendNote(`did not exit within ${graceMs} ms of ${signal}; killed`);
      this.signalGroup('SIGCONT');
      this.signalGroup('SIGKILL');
    }
    const exit = await this.exited;
    this.signalGroup('SIGKILL');
    return exit;
  }

  /** Kills the group at once (teardown). */
  async kill(): Promise<void> {
    this.signalGroup('SIGCONT');
    this.signalGroup('SIGKILL');
    await this.exited;
  }

  /** The last `lines` lines of its log. */
  tail(lines = 40): string {
    try {
      return readFileSync(this.spec.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** The whole log since `offset` bytes (see `logSize`). */
  logSince(offset: number): string {
    try {
      return readFileSync(this.spec.logFile).subarray(offset).toString('utf8');
    } catch {
      return '';
    }
  }

  logSize(): number {
    try {
      return readFileSync(this.spec.logFile).length;
    } catch {
      return 0;
    }
  }

  private appendNote(note: string): void {
    try {
      const fd = openSync(this.spec.logFile, 'a');
      try {
        writeSync(fd, `\n[harness] ${this.name}: ${note}\n`);
      } finally {
        closeSync(fd);
      }
    } catch {
      // the log is gone (teardown)
    }
  }
}

/** Runs a command to completion; rejects with its output when it fails. */
export function run(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; uid?: number; gid?: number; timeoutMs?: number } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      env: options.env,
      cwd: options.cwd,
      uid: options.uid,
      gid: options.gid,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(' ')} exited ${code ?? signal}:\n${output}`));
    });
  });
}
