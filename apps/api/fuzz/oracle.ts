import { responseViolations, type InjectResponse } from '../test/support/api';
import { bodyErrors, globalRuleErrors, parameterErrors, type SpecOperation } from '../test/support/openapi-requests';
import { Hint, Raw } from './arbitraries';

/**
 * The oracle. A request is judged against the committed spec (Ajv on its parameter and body
 * schemas) and the rules every route documents with its 400/413/415 (a NUL character, `__proto__`
 * keys, nesting, size, media type: `globalRuleErrors`) — not against what the generator meant, so
 * a "mutation" the spec still allows counts as a valid request. Then:
 *
 * - never a 5xx;
 * - every answer is what the spec documents for the operation and status (`responseViolations`,
 *   the check `call` makes in every e2e test), errors in the envelope;
 * - an invalid request is refused: 400 VALIDATION_ERROR or BAD_REQUEST, or earlier with
 *   401/403/404/405/413/415;
 * - a valid request is never refused by validation: a 400 is allowed only for the use case's own
 *   reasons (`DOMAIN_DETAIL_CODES`, `DOMAIN_MESSAGES` below); 401/403/404/409/423 … are business.
 */

/**
 * `details[].code`s of a 400 that a use case answers to a request the schema cannot tell from a
 * good one: wrong secrets, dead links, state, references to rows that do not exist, cross-field
 * paging rules, opaque cursors. Keep it short: a code the schema could express (a length, a
 * pattern, a sort key) does not belong here — that is the spec's job.
 */
export const DOMAIN_DETAIL_CODES: ReadonlySet<string> = new Set([
  'WEAK_PASSWORD', // zxcvbn-ts score < 3 (the strength check: no schema says it)
  'WRONG_PASSWORD', // the current password is another one
  'WRONG_CREDENTIALS', // 2FA disable: password or code wrong
  'WRONG_CODE', // a TOTP or recovery code that is not the current one
  'UNKNOWN_ROLE', // roleId names no role
  'UNKNOWN_CATEGORY', // categoryId, parentId or moveTo names no category
  'UNKNOWN_TAG', // tagIds names a tag that does not exist
  'UNKNOWN_COMMENT', // parentId names no comment of the post that can be replied to
  'UNKNOWN_MEDIA', // coverMediaId or a media:<id> in a body names no image of the library
  'IN_THE_PAST', // expiresAt before now: the schema cannot know "now"
  'MIXED_PAGING', // page/perPage and cursor/limit together: one rule across two parameters
  'INVALID_CURSOR', // cursors are opaque tokens from meta.cursor.next
  'SEARCH_PAGING', // q with cursor/limit: search results come in offset pages
]);

/** Messages of a BAD_REQUEST without details that are the use case's own (a dead link, a step skipped). */
export const DOMAIN_MESSAGES: readonly RegExp[] = [
  /^This link is invalid, used or expired/,
  /^Start with POST \/api\/v1\/auth\/2fa\/setup/,
];

/** Refusals that come before validation: fine for an invalid request. */
const REFUSED_EARLY = new Set([401, 403, 404, 405, 413, 415]);

/** A body as JSON text; `Raw` values are written as is (numbers JSON.stringify cannot write). */
export function jsonText(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (value instanceof Hint) throw new Error(`the hint ${value.name} was not filled in`);
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .map((key) => `${JSON.stringify(key)}:${jsonText((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A request as sent, with what the spec is asked about. */
export interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  /** The body's text when it is not multipart (for the global rules and the body schema). */
  text?: string;
  contentType?: string;
  pathValues: Record<string, string>;
  queryValues: Record<string, string>;
  headerValues: Record<string, string>;
  /** Multipart fields as an object (binary parts as text), for the body schema. */
  multipartFields?: Record<string, unknown>;
  /** Who sent it: `anonymous`, `admin`, `throwaway user`, `admin's refresh cookie`. */
  as: string;
}

export interface Verdict {
  valid: boolean;
  /** Why the request is invalid (empty: valid). */
  reasons: string[];
}

/** Whether the spec (and the rules of every route) accept the request. */
export function classify(op: SpecOperation, sent: Sent, bodyLimitBytes: number): Verdict {
  const reasons = [
    ...globalRuleErrors({ url: sent.url, contentType: sent.contentType, text: sent.text, bodyLimitBytes }),
    ...parameterErrors(op, { path: sent.pathValues, query: sent.queryValues, header: sent.headerValues }),
  ];
  if (op.body) {
    const media = sent.contentType?.split(';')[0].trim().toLowerCase();
    if (sent.payload === undefined) {
      if (op.body.required) reasons.push('the body is missing');
    } else if (media !== op.body.media) {
      if (reasons.length === 0) reasons.push(`the body is ${media ?? '(no media type)'}, not ${op.body.media}`);
    } else if (media === 'multipart/form-data') {
      reasons.push(...bodyErrors(op, sent.multipartFields ?? {}));
    } else if (reasons.length === 0 && sent.text !== undefined) {
      reasons.push(...bodyErrors(op, JSON.parse(sent.text) as unknown));
    }
  }
  return { valid: reasons.length === 0, reasons };
}

export type FindingKind = '5xx' | 'undocumented answer' | 'valid request refused' | 'invalid request not refused';

export interface Judgement {
  kind: FindingKind;
  /**
   * The causes this answer shows, each a finding of its own (the operation is added by the
   * caller): one per refused field of a valid request, the first reason of an invalid one.
   */
  keys: string[];
  expected: string;
  got: string;
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: Array<{ field?: string; code?: string }> };
}

const errorOf = (res: InjectResponse): ErrorBody['error'] => {
  try {
    return (JSON.parse(res.body) as ErrorBody).error;
  } catch {
    return undefined;
  }
};

const summary = (res: InjectResponse): string => {
  const error = errorOf(res);
  if (!error) return `${res.statusCode} ${res.body.slice(0, 200)}`;
  const details = (error.details ?? []).map((d) => `${d.field}: ${d.code}`).join(', ');
  return `${res.statusCode} ${error.code ?? ''} "${error.message ?? ''}"${details ? ` [${details}]` : ''}`;
};

/** The finding a response makes, if any. */
export function judge(op: SpecOperation, sent: Sent, verdict: Verdict, res: InjectResponse): Judgement | undefined {
  const expected = verdict.valid
    ? 'valid per the spec: accepted, or refused only for a business reason'
    : `invalid (${verdict.reasons.join('; ')}): 400 VALIDATION_ERROR/BAD_REQUEST or an earlier 401/403/404/405/413/415`;
  if (res.statusCode >= 500) {
    return {
      kind: '5xx',
      keys: [`${res.statusCode} ${verdict.valid ? 'to a valid request' : verdict.reasons[0]}`],
      expected,
      got: summary(res),
    };
  }
  const violations = responseViolations({
    method: sent.method,
    url: sent.url,
    statusCode: res.statusCode,
    headers: res.headers,
    body: res.rawPayload,
  });
  if (violations.length > 0) {
    return {
      kind: 'undocumented answer',
      keys: [`${res.statusCode} ${violations[0].replace(/"[^"]*"/g, '…')}`],
      expected: 'an answer the spec documents for this operation and status',
      got: `${summary(res)} — ${violations.join('; ')}`,
    };
  }
  const error = errorOf(res);
  if (!verdict.valid) {
    if (REFUSED_EARLY.has(res.statusCode)) return undefined;
    if (res.statusCode === 400 && (error?.code === 'VALIDATION_ERROR' || error?.code === 'BAD_REQUEST'))
      return undefined;
    return {
      kind: 'invalid request not refused',
      keys: [`${res.statusCode} ${verdict.reasons[0]}`],
      expected,
      got: summary(res),
    };
  }
  if (res.statusCode !== 400) return undefined;
  const details = error?.details ?? [];
  if (
    error?.code === 'VALIDATION_ERROR' &&
    details.length > 0 &&
    details.every((d) => DOMAIN_DETAIL_CODES.has(String(d.code)))
  ) {
    return undefined;
  }
  if (
    error?.code === 'BAD_REQUEST' &&
    details.length === 0 &&
    DOMAIN_MESSAGES.some((m) => m.test(error.message ?? ''))
  ) {
    return undefined;
  }
  const refused = details.filter((d) => !DOMAIN_DETAIL_CODES.has(String(d.code)));
  const keys =
    refused.length > 0
      ? refused.map(
          (d) => `${d.code === 'UNKNOWN_FIELD' ? String(d.field).replace(/[^.]+$/, '*') : d.field}: ${d.code}`,
        )
      : [`${error?.code} ${error?.message}`];
  return { kind: 'valid request refused', keys: [...new Set(keys)], expected, got: summary(res) };
}
