import { type CacheKeys, MAX_MEMORY_CHARS, MemoryCacheStore } from './cache.store';

/** A value filed under fixed tokens, as CacheService files it, and the keys that find it again. */
async function file(store: MemoryCacheStore, name: string, value: string, ttlMs = 60_000): Promise<CacheKeys> {
  const keys: CacheKeys = { generation: `g:${name}`, version: `v:${name}`, dataHead: `d:${name}:`, dataTail: '' };
  await store.bump(
    [
      [keys.generation, 'G'],
      [keys.version, 'V'],
    ],
    ttlMs,
  );
  await store.set(`d:${name}:G.V`, value, ttlMs);
  return keys;
}

const found = async (store: MemoryCacheStore, keys: CacheKeys): Promise<string | null> =>
  (await store.read(keys, () => 'fresh', 60_000)).value;

describe('MemoryCacheStore (embedded mode)', () => {
  it('keeps about 16 MB of values, the oldest going first, however few the entries', async () => {
    // Feed pages of ~100 000 characters, as many as a reader following cursors leaves behind:
    // far fewer than the entry bound, far more than the character bound.
    const store = new MemoryCacheStore();
    const page = (n: number) => `${n}`.padEnd(100_000, 'x');
    const filed: CacheKeys[] = [];
    for (let n = 0; n < 400; n += 1) filed.push(await file(store, `page-${n}`, page(n)));

    expect(store.size.chars).toBeLessThanOrEqual(MAX_MEMORY_CHARS);
    expect(store.size.chars).toBeGreaterThan(MAX_MEMORY_CHARS / 2);
    expect(await found(store, filed[0])).toBeNull();
    expect(await found(store, filed[399])).toBe(page(399));
    expect(await found(store, filed[398])).toBe(page(398));
  });

  it('counts a key written again once, and gives back what close releases', async () => {
    const store = new MemoryCacheStore();
    const value = 'y'.repeat(1_000_000);
    let keys: CacheKeys | undefined;
    for (let n = 0; n < 100; n += 1) keys = await file(store, 'same', value);
    // 100 writes of one key: one value's worth kept, so nothing was evicted to make room.
    expect(store.size.entries).toBe(3);
    expect(store.size.chars).toBeLessThan(2 * value.length);
    expect(await found(store, keys!)).toBe(value);

    await store.close();
    expect(store.size).toEqual({ entries: 0, chars: 0 });
  });
});
