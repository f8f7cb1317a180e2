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
