/**
 * Values that are shared and never change once made (the public cache's decoded entries,
 * docs/DECISIONS.md 118), and their JSON text, serialized once (docs/DECISIONS.md 127).
 */

/** Objects frozen all the way down by `deepFreeze`. */
const deeplyFrozen = new WeakSet<object>();
/** The JSON text of such objects, made when first answered with. */
const texts = new WeakMap<object, string>();

function freeze(value: object): boolean {
  if (deeplyFrozen.has(value)) return true;
  // Frozen by someone else: what it holds is not known to be frozen too.
  if (Object.isFrozen(value)) return false;
  Object.freeze(value);
  let deep = true;
  for (const inner of Object.values(value) as unknown[]) {
    if (typeof inner === 'object' && inner !== null && !freeze(inner)) deep = false;
  }
  if (deep) deeplyFrozen.add(value);
  return deep;
}

/**
 * Freezes `value` all the way down, and remembers that it did: such a value is the same on every
 * read, so `jsonTextOf` may serialize it once for every answer that carries it.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) freeze(value);
  return value;
}

/**
 * `JSON.stringify(value)` for a value `deepFreeze` froze, serialized on the first call and kept
 * with the value (it goes when the value does); `undefined` for any other value, which may change.
 */
export function jsonTextOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || !deeplyFrozen.has(value)) return undefined;
  let text = texts.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    texts.set(value, text);
  }
  return text;
}
