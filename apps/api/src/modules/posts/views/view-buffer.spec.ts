import { MemoryViewBuffer, VIEW_DEDUPE_MS } from './view-buffer';

describe('MemoryViewBuffer (embedded mode)', () => {
  afterEach(() => jest.useRealTimers());

  it('counts a reader once per half hour and per post', async () => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const buffer = new MemoryViewBuffer();
    expect(await buffer.record('p1', 'ada')).toBe(true);
    expect(await buffer.record('p1', 'ada')).toBe(false);
    expect(await buffer.record('p2', 'ada')).toBe(true);
    expect(await buffer.record('p1', 'grace')).toBe(true);
    jest.setSystemTime(Date.now() + VIEW_DEDUPE_MS + 1);
    expect(await buffer.record('p1', 'ada')).toBe(true);
    expect((await buffer.take('b1'))?.counts).toEqual([
      ['p1', 3],
      ['p2', 1],
    ]);
  });

  it('hands out the same batch until it is done, and counts new views apart from it', async () => {
    const buffer = new MemoryViewBuffer();
    expect(await buffer.take('empty')).toBeNull();
    await buffer.record('p1', 'ada');
    const batch = await buffer.take('b1');
    await buffer.record('p1', 'grace');
    // Not done yet (the write failed): the same batch again, not the new view.
    expect(await buffer.take('b2')).toEqual(batch);
    await buffer.done('b1');
    expect(await buffer.take('b3')).toEqual({ id: 'b3', counts: [['p1', 1]] });
  });
});
