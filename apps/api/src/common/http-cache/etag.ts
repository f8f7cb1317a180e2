import { createHash } from 'node:crypto';

/**
 * A weak entity tag of a response's data (not of its bytes: the envelope's `meta.requestId` and
 * `meta.timestamp` differ in every response, so two responses with equal data are equivalent,
 * not byte-identical — what a weak tag says). Equal data gives the same tag on every replica.
 */
export function weakEtagOf(data: unknown): string {
  return weakEtagOfJson(JSON.stringify(data) ?? 'null');
}

/** `weakEtagOf` of data already serialized: `json` is the text `JSON.stringify(data)` gives. */
export function weakEtagOfJson(json: string): string {
  return `W/"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"`;
}

/**
 * Tags known for objects before they are answered with: data read from a cache keeps the tag
 * computed when it was cached (docs/DECISIONS.md 86 and 102), so an answer from the cache is not
 * serialized and hashed again only to be tagged. Keyed by the object: it goes when the object does.
 */
const remembered = new WeakMap<object, string>();

/** Says that `data`'s tag is `etag` (what `@HttpCache` would compute for it, or the route's own tag). */
export function rememberEtag<T extends object>(data: T, etag: string): T {
  remembered.set(data, etag);
  return data;
}

/** The tag `rememberEtag` was told for `data`, if any. */
export const rememberedEtag = (data: unknown): string | undefined =>
  typeof data === 'object' && data !== null ? remembered.get(data) : undefined;

const ENTITY_TAG = /(?:W\/)?"[^"]*"/g;

/**
 * Whether an `If-None-Match` header matches `etag` (RFC 9110 §13.1.2): `*`, or any tag of the
 * list by weak comparison (the opaque parts are equal, `W/` or not).
 */
export function ifNoneMatchMatches(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return (value.match(ENTITY_TAG) ?? []).some((tag) => tag.replace(/^W\//, '') === opaque);
}

/**
 * Whether an `If-Match` header matches the current `etag`: `*`, or any tag of the list. Tags here
 * are weak (see `weakEtagOf`), so the comparison is weak too — as the widely used APIs do, and
 * what a tag of the data (not of the bytes) can offer (docs/DECISIONS.md, "Lost updates").
 */
export const ifMatchMatches = (header: string | string[], etag: string): boolean => ifNoneMatchMatches(header, etag);
