import { Worker } from 'node:worker_threads';

/** What zxcvbn says of a password: its score (0–4) and its advice. */
export interface Strength {
  score: number;
  warning: string | null;
  suggestions: string[];
}

/** A worker without a check for this long ends, and its memory with it. */
export const STRENGTH_CHECKER_IDLE_MS = 30_000;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const [{ ZxcvbnFactory }, common, en] = workerData.modules.map((path) => require(path));
const zxcvbn = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...en.dictionary },
  graphs: common.adjacencyGraphs,
  translations: en.translations,
});
parentPort.on('message', async ({ id, password, inputs }) => {
  try {
    const { score, feedback } = await zxcvbn.checkAsync(password, inputs);
    parentPort.postMessage({ id, strength: { score, warning: feedback.warning, suggestions: feedback.suggestions } });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message ? error.message : error) });
  }
});
`;

interface Pending {
  resolve: (strength: Strength) => void;
  reject: (error: Error) => void;
}

/**
 * zxcvbn-ts in a worker thread of its own, started by a check and ended after
 * {@link STRENGTH_CHECKER_IDLE_MS} without one (decision 94). Its dictionaries and the ranked lists
 * built from them are ~25 MB of heap that a process used to keep for good after its first password
 * check (an API creating its first admin at start, a replica after one sign-up), for checks that
 * come a few at a time, far apart. A cold check costs the worker's start (~0.3 s); checks while it
 * lives cost what they did.
 */
export class StrengthChecker {
  /** The running worker and the checks awaiting its answers (each worker its own). */
  private current: { worker: Worker; pending: Map<number, Pending> } | undefined;
  private nextId = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly idleMs = STRENGTH_CHECKER_IDLE_MS) {}

  /** Whether a worker is running (it is not between bursts of checks). */
  get running(): boolean {
    return this.current !== undefined;
  }

  check(password: string, inputs: string[]): Promise<Strength> {
    clearTimeout(this.idleTimer);
    const { worker, pending } = (this.current ??= this.start());
    // Held while an answer is awaited; let go when idle (below).
    worker.ref();
    const id = this.nextId++;
    return new Promise<Strength>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, password, inputs });
    });
  }

  /** Ends the worker now (the application's shutdown); a later check starts another. */
  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const worker = this.current?.worker;
    this.current = undefined;
    await worker?.terminate();
  }

  private start(): { worker: Worker; pending: Map<number, Pending> } {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        modules: ['@zxcvbn-ts/core', '@zxcvbn-ts/language-common', '@zxcvbn-ts/language-en'].map((name) =>
          require.resolve(name),
        ),
      },
    });
    const pending = new Map<number, Pending>();
    worker.on('message', (message: { id: number; strength?: Strength; error?: string }) => {
      const waiting = pending.get(message.id);
      pending.delete(message.id);
      if (message.strength) waiting?.resolve(message.strength);
      else waiting?.reject(new Error(`password strength check failed: ${message.error}`));
      if (pending.size === 0 && this.current?.worker === worker) {
        // A worker waiting for checks never keeps the process alive (a CLI command exits when done).
        worker.unref();
        this.idleTimer = setTimeout(() => void this.close(), this.idleMs).unref();
      }
    });
    // A worker that fails or ends fails its own checks only: one ending while the next starts
    // leaves the next one's alone.
    const fail = (error: Error) => {
      if (this.current?.worker === worker) this.current = undefined;
      for (const waiting of pending.values()) waiting.reject(error);
      pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the password strength checker exited (${code})`)));
    return { worker, pending };
  }
}
