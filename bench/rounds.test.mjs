// The harness's arithmetic of rounds (bench/rounds.mjs): `node --test bench/rounds.test.mjs`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alternatedRounds, combineRounds } from './rounds.mjs';

const round = (over) => ({
  seconds: 5,
  total: 0,
  non2xx: 0,
  errors: 0,
  timeouts: 0,
  latencies: [],
  cpuMs: 0,
  peakRssMb: 100,
  ...over,
});

test('the servers take turns first: A R, then R A, then A R', () => {
  assert.deepEqual(alternatedRounds(['atrium', 'reference'], 3), [
    ['atrium', 'reference'],
    ['reference', 'atrium'],
    ['atrium', 'reference'],
  ]);
  assert.deepEqual(alternatedRounds(['atrium', 'reference', 'floor'], 2), [
    ['atrium', 'reference', 'floor'],
    ['floor', 'reference', 'atrium'],
  ]);
  assert.deepEqual(alternatedRounds(['atrium'], 1), [['atrium']]);
});

test('a slow round of one server weighs by its seconds, and the spread is kept', () => {
  // 1 000 req/s, then a slow spell at 400, then 1 000 again.
  const m = combineRounds([round({ total: 5000 }), round({ total: 2000 }), round({ total: 5000 })]);
  assert.equal(m.rps, 12000 / 15);
  assert.deepEqual(m.rounds, [1000, 400, 1000]);
  assert.equal(m.total, 12000);
});

test("percentiles are of every answer of every round, not an average of the rounds' own", () => {
  // Two rounds of 100 answers: one all at 1 ms, one all at 3 ms. The rounds' p99s average 2 ms;
  // of the 200 answers, the 99th percentile is 3 ms and the median 1 ms.
  const fast = round({ total: 100, latencies: Array(100).fill(1) });
  const slow = round({ total: 100, latencies: Array(100).fill(3) });
  const m = combineRounds([slow, fast]);
  assert.equal(m.p50, 1);
  assert.equal(m.p99, 3);
  // Nearest rank, to 0.1 ms.
  const spread = combineRounds([
    round({ total: 100, latencies: Array.from({ length: 100 }, (_, i) => (i + 1) * 1.04) }),
  ]);
  assert.equal(spread.p50, 52);
  assert.equal(spread.p95, 98.8);
  assert.equal(spread.p99, 103);
});

test('failures add up, CPU is per answered request and RSS is the highest seen', () => {
  const m = combineRounds([
    round({ total: 900, non2xx: 1, cpuMs: 300, peakRssMb: 180.4 }),
    round({ total: 100, errors: 2, timeouts: 1, cpuMs: 200, peakRssMb: 210.6 }),
  ]);
  assert.deepEqual([m.non2xx, m.errors, m.timeouts], [1, 2, 1]);
  assert.equal(m.cpuMsPerRequest, 0.5);
  assert.equal(m.peakRssMb, 211);
});

test('no answer at all reads as none, not as zero latency', () => {
  const m = combineRounds([round({})]);
  assert.equal(m.rps, 0);
  assert.equal(m.p99, null);
  assert.equal(m.cpuMsPerRequest, null);
});
