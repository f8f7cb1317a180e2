import { describeOutcome, type Outcome, RESET_ERRORS } from './http';
import { sleep } from './wait';

/** Every loop here is bounded twice: by time and by a count of requests. */
const HARD_CAP = 200_000;

export interface ClosedLoopOptions {
  /** Requests in flight at once: each of these loops sends its next request when the last one answered. */
  concurrency: number;
  /** Stop starting requests after this long … */
  durationMs: number;
  /** … or after this many in all … */
  maxRequests?: number;
  /** … or as soon as this returns true. */
  stop?: () => boolean;
  /** Pause between one loop's requests. */
  pauseMs?: number;
  /** Sends request number `i` of loop `worker` and returns its outcome. */
  next: (worker: number, i: number) => Promise<Outcome>;
}

/** N loops, each sending one request after another, for a bounded time: "N users clicking". */
export async function closedLoop(options: ClosedLoopOptions): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const deadline = Date.now() + options.durationMs;
  const cap = Math.min(options.maxRequests ?? HARD_CAP, HARD_CAP);
  let sent = 0;
  const loop = async (worker: number): Promise<void> => {
    while (Date.now() < deadline && sent < cap && !options.stop?.()) {
      const i = sent++;
      outcomes.push(await options.next(worker, i));
      if (options.pauseMs) await sleep(options.pauseMs);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, worker) => loop(worker)));
  return outcomes;
}

export interface OpenLoopOptions {
  /** Requests started per second, whatever the answers take (a steady arrival rate). */
  ratePerSecond: number;
  durationMs: number;
  /** Never more than this many in flight: the generator waits (and reports the lag) instead. */
  maxInFlight?: number;
  stop?: () => boolean;
  next: (i: number) => Promise<Outcome>;
}

export interface OpenLoopResult {
  outcomes: Outcome[];
  /** Requests that started later than scheduled because `maxInFlight` were still in flight. */
  delayedStarts: number;
}

/** A steady arrival rate for a bounded time (requests start on schedule, answered or not). */
export async function openLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const outcomes: Outcome[] = [];
  const inFlight = new Set<Promise<void>>();
  const interval = 1000 / options.ratePerSecond;
  const maxInFlight = options.maxInFlight ?? 256;
  const start = performance.now();
  const total = Math.min(Math.floor((options.durationMs / 1000) * options.ratePerSecond), HARD_CAP);
  let delayedStarts = 0;
  for (let i = 0; i < total; i++) {
    if (options.stop?.()) break;
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    if (inFlight.size >= maxInFlight) {
      delayedStarts += 1;
      while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    }
    const pending: Promise<void> = options.next(i).then((outcome) => {
      outcomes.push(outcome);
      inFlight.delete(pending);
    });
    inFlight.add(pending);
  }
  await Promise.all(inFlight);
  return { outcomes, delayedStarts };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export interface Summary {
  count: number;
  /** "200": 41, "503 SERVICE_UNAVAILABLE": 2, "ECONNREFUSED": 3 … */
  results: Record<string, number>;
  p50: number;
  p95: number;
  max: number;
}

export const resultOf = (o: Outcome): string => o.error ?? `${o.status}${o.code ? ` ${o.code}` : ''}`;

export function summarize(outcomes: readonly Outcome[]): Summary {
  const results: Record<string, number> = {};
  for (const o of outcomes) results[resultOf(o)] = (results[resultOf(o)] ?? 0) + 1;
  const ms = outcomes.map((o) => o.ms);
  return {
    count: outcomes.length,
    results,
    p50: Math.round(percentile(ms, 50)),
    p95: Math.round(percentile(ms, 95)),
    max: Math.round(Math.max(0, ...ms)),
  };
}

export const is5xx = (o: Outcome): boolean => o.status !== undefined && o.status >= 500;
export const isReset = (o: Outcome): boolean => o.error !== undefined && RESET_ERRORS.has(o.error);

/** The first few outcomes, one per line, for an assertion message. */
export function listOutcomes(outcomes: readonly Outcome[], limit = 8): string {
  const lines = outcomes.slice(0, limit).map((o) => `  ${describeOutcome(o)}`);
  if (outcomes.length > limit) lines.push(`  … and ${outcomes.length - limit} more`);
  return lines.join('\n');
}

/** Contract violations seen in a batch (deduplicated), for one assertion. */
export function violationsOf(outcomes: readonly Outcome[]): string[] {
  const seen = new Set<string>();
  for (const o of outcomes)
    for (const v of o.violations) seen.add(`${o.method} ${o.path.split('?')[0]} ${o.status}: ${v}`);
  return [...seen];
}
