import { validate, version } from 'uuid';
import { newId } from './ids';

/** The millisecond a UUIDv7 carries in its first 48 bits. */
const msOf = (id: string): number => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

describe('newId', () => {
  it('makes valid UUIDv7s that carry the time they were made', () => {
    const before = Date.now();
    const id = newId();
    const after = Date.now();
    expect(validate(id)).toBe(true);
    expect(version(id)).toBe(7);
    expect(msOf(id)).toBeGreaterThanOrEqual(before);
    expect(msOf(id)).toBeLessThanOrEqual(after);
  });

  it('makes ids that only go up, many in one millisecond and across the random pool refills', () => {
    const ids = Array.from({ length: 20_000 }, () => newId());
    expect(new Set(ids).size).toBe(ids.length);
    const firstOutOfOrder = ids.findIndex((id, i) => i > 0 && id <= ids[i - 1]);
    expect(firstOutOfOrder).toBe(-1);
  });

  it('keeps going up when the clock steps back', () => {
    jest.useFakeTimers({ now: Date.now() + 60_000 });
    try {
      const first = newId();
      jest.setSystemTime(Date.now() - 120_000);
      const second = newId();
      expect(second > first).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  it('draws its randomness in batches, not from crypto.getRandomValues on every id', () => {
    const draws = jest.spyOn(globalThis.crypto, 'getRandomValues');
    try {
      for (let i = 0; i < 1_000; i++) newId();
      expect(draws.mock.calls.length).toBeLessThan(10);
    } finally {
      draws.mockRestore();
    }
  });
});
