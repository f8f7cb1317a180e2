import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { MAX_READS_PER_CALL, MemoryViewBuffer, RedisViewBuffer, VIEW_DEDUPE_MS } from './view-buffer';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

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

describe('RedisViewBuffer (real Redis)', () => {
  const prefix = `atrium-test:views:${process.pid}_${randomBytes(4).toString('hex')}:`;
  let client: Redis;
  let scripts: number;

  beforeAll(async () => {
    client = new Redis(REDIS_URL);
    const send = client.sendCommand.bind(client);
    // Counts the script calls (EVALSHA, or EVAL when Redis does not know the script yet).
    jest.spyOn(client, 'sendCommand').mockImplementation((command, stream) => {
      if (/^eval/i.test(command.name)) scripts++;
      return send(command, stream);
    });
    await client.ping();
  });

  afterAll(async () => {
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(...keys);
    client.disconnect();
  });

  beforeEach(() => (scripts = 0));

  it('the reads of one turn go to Redis in one call, each reader counted once per post', async () => {
    const buffer = new RedisViewBuffer(client, `${prefix}one:`);
    await buffer.record('warm', 'up'); // Redis learns the script
    scripts = 0;
    const readers = Array.from({ length: 40 }, (_, i) => `reader-${i}`);
    const counted = await Promise.all([
      ...readers.map((reader) => buffer.record('p1', reader)),
      buffer.record('p1', 'reader-0'), // the same reader again, in the same call
      buffer.record('p2', 'reader-0'),
    ]);
    expect(counted).toEqual([...readers.map(() => true), false, true]);
    expect(scripts).toBe(1);

    // A later turn: another call, and the marks of the first still hold.
    expect(await Promise.all([buffer.record('p1', 'reader-1'), buffer.record('p3', 'reader-1')])).toEqual([
      false,
      true,
    ]);
    expect(scripts).toBe(2);
    const batch = await buffer.take('b1');
    expect(new Map(batch?.counts)).toEqual(
      new Map([
        ['warm', 1],
        ['p1', 40],
        ['p2', 1],
        ['p3', 1],
      ]),
    );
  });

  it(`more than ${MAX_READS_PER_CALL} reads in one turn: a call per ${MAX_READS_PER_CALL}, every read counted`, async () => {
    const buffer = new RedisViewBuffer(client, `${prefix}many:`);
    const reads = MAX_READS_PER_CALL * 2 + 10;
    const counted = await Promise.all(Array.from({ length: reads }, (_, i) => buffer.record(`p${i % 7}`, `r${i}`)));
    expect(counted.every(Boolean)).toBe(true);
    expect(scripts).toBeLessThanOrEqual(3 + 1); // + one EVAL if Redis had to learn the script
    expect(scripts).toBeGreaterThanOrEqual(3);
    const batch = await buffer.take('b1');
    expect(batch?.counts.reduce((sum, [, views]) => sum + views, 0)).toBe(reads);
  });
});
