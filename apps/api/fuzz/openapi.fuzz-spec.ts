import fc from 'fast-check';
import type { AtriumApp } from '../src/bootstrap';
import { type SpecOperation, specOperations } from '../test/support/openapi-requests';
import { startTestApp, TestResources } from '../test/support/test-app';
import { validDraftArb } from './arbitraries';
import { Findings, formatFinding, type RunSummary, summaryText, writeFindings } from './findings';
import { FuzzWorld, hintsFor } from './fixtures';
import { invalidDraftArb } from './mutations';
import { classify, judge } from './oracle';

/**
 * Property-based fuzzing of every operation of the committed spec (apps/api/openapi.json): for
 * each, FUZZ_RUNS requests the spec accepts and FUZZ_RUNS it refuses, drawn by fast-check from the
 * operation's schemas (fuzz/arbitraries.ts, fuzz/mutations.ts), sent to the real app as an admin
 * (public routes anonymously; fuzz/fixtures.ts) and judged by fuzz/oracle.ts: never a 5xx, every
 * answer as documented, invalid requests refused in the envelope, valid ones never refused by
 * validation. Every distinct finding is printed with a request that reproduces it and written to
 * FUZZ_FINDINGS (default /tmp/fuzz-findings.md).
 *
 * The seed is FUZZ_SEED, or a random one printed with the summary: the same seed sends the same
 * requests (ids and secrets come from fixtures made at run time).
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const FINDINGS_FILE = process.env.FUZZ_FINDINGS ?? '/tmp/fuzz-findings.md';
/** BODY_LIMIT of the app under test: small, so an oversized body is cheap to send. */
const BODY_LIMIT = 64 * 1024;

const OPERATIONS = specOperations();

/** One seed per operation and kind, so an operation draws the same requests whatever runs before it. */
function seedOf(...parts: string[]): number {
  let hash = 0x811c9dc5 ^ SEED;
  for (const char of parts.join(' ')) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

describe(`fuzzing every operation of the committed spec (FUZZ_SEED=${SEED}, FUZZ_RUNS=${RUNS})`, () => {
  const resources = new TestResources();
  let atrium: AtriumApp;
  let world: FuzzWorld;
  const findings = new Findings();
  const coverage = new Map<string, RunSummary['operations'][number]>();
  let requests = 0;
  let responses5xx = 0;
  let mismatches = 0;
  let started = 0;

  beforeAll(async () => {
    await resources.create();
    atrium = await startTestApp(resources, {
      THROTTLE_LIMIT: '1000000',
      AUTH_THROTTLE_LIMIT: '1000000',
      LOCKOUT_THRESHOLD: '1000',
      BODY_LIMIT: String(BODY_LIMIT),
    });
    world = new FuzzWorld(() => atrium);
    await world.setup();
    started = Date.now();
  });

  afterAll(async () => {
    const summary: RunSummary = {
      seed: SEED,
      runs: RUNS,
      seconds: (Date.now() - started) / 1000,
      operations: [...coverage.values()],
      requests,
      fixtureRequests: world?.fixtureRequests ?? 0,
      responses5xx,
      mismatches,
      resignIns: world?.resignIns ?? new Map(),
    };
    writeFindings(FINDINGS_FILE, summary, findings);
    process.stdout.write(`\n${summaryText(summary, findings)}\nfindings written to ${FINDINGS_FILE}\n\n`);
    await atrium?.close();
    await resources.drop();
  });

  const run = async (op: SpecOperation): Promise<void> => {
    const hints = hintsFor(op);
    const drafts = [
      ...fc.sample(validDraftArb(op, hints), { seed: seedOf(op.key, 'valid'), numRuns: RUNS }),
      ...fc.sample(invalidDraftArb(op, hints, BODY_LIMIT), { seed: seedOf(op.key, 'invalid'), numRuns: RUNS }),
    ];
    const seen: RunSummary['operations'][number] = { op: op.key, valid: 0, invalid: 0, statuses: {}, misses: {} };
    coverage.set(op.key, seen);
    for (const draft of drafts) {
      const { sent, res } = await world.send(op, draft);
      requests += 1;
      seen.statuses[res.statusCode] = (seen.statuses[res.statusCode] ?? 0) + 1;
      const verdict = classify(op, sent, BODY_LIMIT);
      if (verdict.valid) seen.valid += 1;
      else seen.invalid += 1;
      // The generator's misses (meant valid, judged invalid): a hint for whoever improves it.
      if (!draft.mutation && !verdict.valid) {
        const reason = verdict.reasons[0].replace(/\/\d+/g, '/*');
        seen.misses[reason] = (seen.misses[reason] ?? 0) + 1;
      }
      if (res.statusCode >= 500) responses5xx += 1;
      const judgement = judge(op, sent, verdict, res);
      if (!judgement) continue;
      if (judgement.kind !== '5xx') mismatches += 1;
      findings.add(op.key, judgement, world.describe(sent), draft.mutation);
    }
  };

  it.each(OPERATIONS.map((op) => [op.key, op] as const))(
    '%s: valid requests pass validation, invalid ones are refused in the envelope, nothing answers 5xx',
    async (_key, op) => {
      await run(op);
      expect({ seed: SEED, findings: findings.of(op.key).map((f) => formatFinding(f)) }).toEqual({
        seed: SEED,
        findings: [],
      });
    },
  );

  it('sent every operation of the spec requests it accepts and requests it refuses', () => {
    const thin = OPERATIONS.filter((op) => !coverage.get(op.key)?.valid || !coverage.get(op.key)?.invalid).map(
      (op) => `${op.key}: ${JSON.stringify(coverage.get(op.key) ?? 'not run')}`,
    );
    expect(thin).toEqual([]);
  });
});
