import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Bounds how far V8 grows the heap between full collections (decision 88): `HEAP_GROWTH_PERCENT`
 * (50 by default) becomes V8's `--heap-growing-percent`. Left to its own heuristics, V8 lets the
 * old generation grow to several times what survives under load (the API: ~90 MB live, 460 MB
 * resident after a feed load), and the collections of a heap that keeps growing cost more, not
 * less. Applied by the entry points before the application starts; 0 leaves V8 alone.
 */
export function applyHeapGrowth(percent: number, setFlags: (flags: string) => void = setFlagsFromString): void {
  if (percent > 0) setFlags(`--heap-growing-percent=${percent}`);
}

/**
 * V8's allocation-site pretenuring off (docs/DECISIONS.md 126). V8 allocates straight into the old
 * generation what an allocation site made that mostly survived a scavenge; under load, a request's
 * rows and page outlive a scavenge while their request waits for Postgres, then die, so the old
 * generation filled with them and was collected in full several times a second (an uncached page of
 * the feed: 2.0 MB promoted a scavenge, about 20 full collections in 20 s; without pretenuring
 * 1.2 MB and 14). Left alone when Node was started with either form of the flag. Applied by the
 * entry points before the application starts.
 */
export function disablePretenuring(
  setFlags: (flags: string) => void = setFlagsFromString,
  execArgv: readonly string[] = process.execArgv,
): void {
  if (execArgv.some((arg) => /^--(no-)?allocation[-_]site[-_]pretenuring$/.test(arg))) return;
  setFlags('--no-allocation-site-pretenuring');
}

/**
 * One full collection once the process has started (decision 113), so that V8's old-generation
 * limit follows what start-up left alive, grown by `applyHeapGrowth`'s percent. The flag only
 * applies from a full collection on: until one runs, the limit is V8's initial one, and in 4
 * start-ups of 11 none ran before or during a first load of 12-15 s, so the API's old space grew to
 * 110-156 MB with ~50 MB of it live. Says how much of the old space is in use after it. Skipped
 * when the growth is V8's own (`percent` 0).
 */
export function settleHeap(percent: number, log: (line: string) => void): void {
  if (percent <= 0) return;
  // `gc` exists only in contexts made after `--expose-gc`: a new one, not this process's global.
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  const old = getHeapSpaceStatistics().find((space) => space.space_name === 'old_space')?.space_used_size ?? 0;
  log(`Heap after start-up: ${Math.round(old / 1048576)} MB of old space in use (one full collection)`);
}
