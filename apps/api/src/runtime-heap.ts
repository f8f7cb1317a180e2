import { setFlagsFromString } from 'node:v8';

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
