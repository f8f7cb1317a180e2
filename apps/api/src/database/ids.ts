import { randomFillSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

/**
 * Random bytes for 256 ids, drawn at once. `uuid` asks `crypto.getRandomValues` for 16 bytes on
 * every id, ~5 µs each on the benchmark's machine (every request gets an id): from a pool it is
 * ~0.26 µs, as Node's own `randomUUID` does (docs/DECISIONS.md, 85).
 */
const POOL = new Uint8Array(16 * 256);
let taken = POOL.length;

/**
 * The millisecond and the counter of the last id: ids of one millisecond count up from a random
 * start, so ids made by this process are strictly increasing (what `uuid` does when it draws its
 * own bytes; it keeps no such state for bytes it is given).
 */
let lastMs = -Infinity;
let sequence = 0;

/** A new time-ordered UUIDv7: ids are generated in the app, which also keeps B-tree inserts local. */
export function newId(): string {
  if (taken === POOL.length) {
    randomFillSync(POOL);
    taken = 0;
  }
  const random = POOL.subarray(taken, (taken += 16));
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    // 31 random bits: room to count up within the millisecond.
    sequence = ((random[6] & 0x7f) << 24) | (random[7] << 16) | (random[8] << 8) | random[9];
  } else {
    sequence = (sequence + 1) | 0;
    // The 32-bit counter wrapped (2^31 ids or more in one millisecond): borrow the next millisecond.
    if (sequence === 0) lastMs += 1;
  }
  return uuidv7({ random, msecs: lastMs, seq: sequence });
}
