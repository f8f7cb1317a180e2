import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { applyHeapGrowth, disablePretenuring, settleHeap } from './runtime-heap';

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

describe('allocation-site pretenuring off (disablePretenuring)', () => {
  it('sets the flag, unless Node was started with either form of it', () => {
    const set = jest.fn();
    disablePretenuring(set, ['--max-old-space-size=256']);
    expect(set).toHaveBeenCalledWith('--no-allocation-site-pretenuring');
    set.mockClear();
    disablePretenuring(set, ['--allocation-site-pretenuring']);
    disablePretenuring(set, ['--no-allocation_site_pretenuring']);
    expect(set).not.toHaveBeenCalled();
  });

  it("stops V8 from allocating a surviving site's objects straight into the old generation", () => {
    let flag = '';
    disablePretenuring((flags) => (flag = flags), []);
    // Three million objects from one site, all kept: V8 soon allocates them in the old generation
    // (few scavenges); with the flag every one is made young and copied out by scavenges.
    const scavenges = (flags: string): number =>
      Number(
        spawnSync(
          process.execPath,
          [
            '-e',
            `if (process.argv[1]) require('node:v8').setFlagsFromString(process.argv[1]);
             const { PerformanceObserver, constants } = require('node:perf_hooks');
             let minor = 0;
             new PerformanceObserver((list) => {
               for (const e of list.getEntries()) if (e.detail.kind === constants.NODE_PERFORMANCE_GC_MINOR) minor++;
             }).observe({ entryTypes: ['gc'] });
             const kept = [];
             const make = (i) => ({ i, next: i + 1, label: null });
             for (let i = 0; i < 3e6; i++) kept.push(make(i));
             setTimeout(() => console.log(minor, kept.length), 20);`,
            '--',
            flags,
          ],
          { encoding: 'utf8' },
        ).stdout.split(' ')[0],
      );
    const pretenured = scavenges('');
    const copied = scavenges(flag);
    expect(pretenured).toBeGreaterThan(0);
    expect(copied).toBeGreaterThanOrEqual(pretenured + 5);
  });

  it('is applied by both entry points before the application starts', () => {
    for (const entry of ['main.ts', 'worker.ts']) {
      const source = readFileSync(join(__dirname, entry), 'utf8');
      const applied = source.indexOf('disablePretenuring();');
      expect(applied).toBeGreaterThan(-1);
      expect(applied).toBeLessThan(source.search(/await (createApp|NestFactory\.)/));
    }
  });
});
