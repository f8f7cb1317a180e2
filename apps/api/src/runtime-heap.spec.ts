import { spawnSync } from 'node:child_process';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { applyHeapGrowth, settleHeap } from './runtime-heap';

describe('heap growth (HEAP_GROWTH_PERCENT)', () => {
  it("becomes V8's --heap-growing-percent, and 0 leaves V8's heuristics alone", () => {
    const set = jest.fn();
    applyHeapGrowth(50, set);
    expect(set).toHaveBeenCalledWith('--heap-growing-percent=50');
    set.mockClear();
    applyHeapGrowth(0, set);
    expect(set).not.toHaveBeenCalled();
  });

  it("sets a flag this Node's V8 knows (an unknown one is ignored with a line on stderr)", () => {
    let flag = '';
    applyHeapGrowth(50, (flags) => (flag = flags));
    const setting = (flags: string) =>
      spawnSync(process.execPath, ['-e', `require('node:v8').setFlagsFromString(process.argv[1])`, '--', flags], {
        encoding: 'utf8',
      }).stderr;
    expect(setting(flag)).toBe('');
    // What a misspelt flag does, so that the check above can fail.
    expect(setting(flag.replace('growing', 'growth'))).toContain('unrecognized flag');
  });
});

describe('settling the heap once started (settleHeap)', () => {
  it('makes one full collection and says what is left of the old space; with V8 left alone (0), nothing', async () => {
    const kinds: number[] = [];
    const observer = new PerformanceObserver((list) =>
      kinds.push(...list.getEntries().map((e) => (e as PerformanceEntry & { detail: { kind: number } }).detail.kind)),
    );
    observer.observe({ entryTypes: ['gc'] });
    const lines: string[] = [];
    settleHeap(0, (line) => lines.push(line));
    expect(lines).toEqual([]);

    settleHeap(50, (line) => lines.push(line));
    await new Promise((resolve) => setTimeout(resolve, 50));
    observer.disconnect();
    expect(kinds).toContain(constants.NODE_PERFORMANCE_GC_MAJOR);
    expect(lines).toEqual([expect.stringMatching(/^Heap after start-up: \d+ MB of old space in use/)]);
  });
});
