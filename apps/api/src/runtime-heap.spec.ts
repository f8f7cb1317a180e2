import { spawnSync } from 'node:child_process';
import { applyHeapGrowth } from './runtime-heap';

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
