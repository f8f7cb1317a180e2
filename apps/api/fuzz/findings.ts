import { writeFileSync } from 'node:fs';
import type { FindingKind, Judgement } from './oracle';

/**
 * What the fuzzer found, one entry per distinct finding (same operation, kind and cause), with the
 * smallest request that showed it as the reproduction.
 */
export interface Finding {
  op: string;
  kind: FindingKind;
  key: string;
  expected: string;
  got: string;
  /** The request, ready to send again by hand. */
  request: string;
  /** What was done to a valid request to make it (for invalid ones). */
  mutation?: string;
  count: number;
}

/** Array indices and ids do not make a finding a different one. */
const normalise = (text: string): string =>
  text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>')
    .replace(/([./])\d+(?=[./\s:]|$)/g, '$1*')
    .replace(/ \([^)]*\)$/, '');

export class Findings {
  private readonly byKey = new Map<string, Finding>();

  add(op: string, judgement: Judgement, request: string, mutation: string | undefined): void {
    const { keys, ...rest } = judgement;
    for (const cause of new Set(keys.map(normalise))) {
      const key = `${op} | ${judgement.kind} | ${cause}`;
      const known = this.byKey.get(key);
      if (!known) {
        this.byKey.set(key, { op, ...rest, key: cause, request, mutation, count: 1 });
        continue;
      }
      known.count += 1;
      // Keep the smallest reproduction.
      if (request.length < known.request.length) Object.assign(known, { request, mutation, got: judgement.got });
    }
  }

  all(): Finding[] {
    return [...this.byKey.values()];
  }

  of(op: string): Finding[] {
    return this.all().filter((f) => f.op === op);
  }

  count(kind: FindingKind): number {
    return this.all()
      .filter((f) => f.kind === kind)
      .reduce((sum, f) => sum + f.count, 0);
  }
}

/** One finding as text: what was sent, what the spec wants, what came back. */
export function formatFinding(finding: Finding, index?: number): string {
  return [
    `${index === undefined ? '' : `${index}. `}[${finding.kind}] ${finding.op}: ${finding.key}${finding.count > 1 ? ` (seen ${finding.count} times)` : ''}`,
    ...(finding.mutation ? [`   made invalid by: ${finding.mutation}`] : []),
    `   expected: ${finding.expected}`,
    `   got: ${finding.got}`,
    '   request:',
    ...finding.request.split('\n').map((line) => `     ${line}`),
  ].join('\n');
}

export interface RunSummary {
  seed: number;
  runs: number;
  seconds: number;
  operations: Array<{
    op: string;
    valid: number;
    invalid: number;
    statuses: Record<string, number>;
    /** Why requests drawn as valid were judged invalid (the generator's misses). */
    misses: Record<string, number>;
  }>;
  requests: number;
  fixtureRequests: number;
  responses5xx: number;
  mismatches: number;
  resignIns: Map<string, number>;
}

export function summaryText(summary: RunSummary, findings: Findings): string {
  const all = findings.all();
  const lines = [
    `fuzz: ${summary.operations.length} operations, ${summary.requests} requests (${summary.fixtureRequests} more by the fixtures) in ${summary.seconds.toFixed(1)} s`,
    `      seed ${summary.seed} (FUZZ_SEED=${summary.seed} FUZZ_RUNS=${summary.runs} replays the same requests)`,
    `      5xx answers: ${summary.responses5xx}; spec mismatches: ${summary.mismatches} answers, ${all.filter((f) => f.kind !== '5xx').length} distinct`,
  ];
  if (summary.resignIns.size > 0) {
    lines.push(
      `      the fuzzing admin signed in again after: ${[...summary.resignIns].map(([op, n]) => `${op} ×${n}`).join(', ')}`,
    );
  }
  for (const { op, valid, invalid, statuses, misses } of summary.operations) {
    const seen = Object.entries(statuses)
      .sort()
      .map(([status, n]) => `${status}×${n}`)
      .join(' ');
    lines.push(
      `      ${op.padEnd(52)} ${String(valid).padStart(3)} valid ${String(invalid).padStart(3)} invalid  ${seen}`,
    );
    const missed = Object.entries(misses).sort(([, a], [, b]) => b - a);
    if (missed.length > 0) {
      lines.push(`        drawn valid, judged invalid: ${missed.map(([reason, n]) => `${n}× ${reason}`).join('; ')}`);
    }
  }
  if (all.length > 0) {
    lines.push('', `counter-examples (${all.length}):`, ...all.map((f, i) => formatFinding(f, i + 1)));
  }
  return lines.join('\n');
}

/** The findings as Markdown (overwritten on every run): /tmp/fuzz-findings.md unless FUZZ_FINDINGS says. */
export function writeFindings(path: string, summary: RunSummary, findings: Findings): void {
  const all = findings.all();
  const text = [
    '# Fuzzer findings',
    '',
    `Run of ${new Date().toISOString()}: seed ${summary.seed}, ${summary.runs} valid and ${summary.runs} invalid requests per operation, ` +
      `${summary.operations.length} operations, ${summary.requests} requests, ${summary.seconds.toFixed(1)} s. ` +
      `Replay: \`FUZZ_SEED=${summary.seed} FUZZ_RUNS=${summary.runs} npm run fuzz -w @atrium/api\`.`,
    '',
    `5xx answers: ${summary.responses5xx}. Spec mismatches: ${summary.mismatches} answers, ${all.filter((f) => f.kind !== '5xx').length} distinct.`,
    '',
    ...(all.length === 0
      ? ['No findings.']
      : all.flatMap((f, i) => [
          `## ${i + 1}. ${f.kind}: ${f.op} — ${f.key}${f.count > 1 ? ` (seen ${f.count} times)` : ''}`,
          '',
          ...(f.mutation ? [`- made invalid by: ${f.mutation}`] : []),
          `- expected: ${f.expected}`,
          `- got: ${f.got}`,
          '',
          '```http',
          f.request,
          '```',
          '',
        ])),
  ].join('\n');
  writeFileSync(path, `${text}\n`);
}
