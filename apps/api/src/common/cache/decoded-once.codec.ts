import { deepFreeze } from '../http/json-text';
import type { CacheCodec } from './cache.service';

/**
 * JSON in the store, each text decoded once (docs/DECISIONS.md 118): a cached value is the same
 * text on every read until it changes, so the object it decodes to is kept by its text (at most
 * `max` texts, then the memo starts again) and returned, deep-frozen, to every request that reads
 * that text. For values that are only read: a caller may key derived data by the object
 * (`WeakMap`), and a changed value is a new text, so a new object. An answer that carries such an
 * object serializes it once (`jsonTextOf`, docs/DECISIONS.md 127).
 */
export function decodedOnce<T>(max: number): CacheCodec<T> {
  const decoded = new Map<string, T>();
  return {
    encode: (value) => JSON.stringify(value),
    decode: (text) => {
      let value = decoded.get(text);
      if (value === undefined) {
        if (decoded.size >= max) decoded.clear();
        value = deepFreeze(JSON.parse(text) as T);
        decoded.set(text, value);
      }
      return value;
    },
  };
}
