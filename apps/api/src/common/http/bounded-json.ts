import { ErrorCode } from '@atrium/contracts';
import { ApiException } from './api.exception';

/** Deepest nesting of objects and arrays a JSON body may have. */
export const MAX_JSON_DEPTH = 32;
/** Most object properties and array items a JSON body may hold, all levels together. */
export const MAX_JSON_NODES = 2_000;
/** Largest JSON body on the `/api/v1/auth` routes (credentials and tokens are short). */
export const AUTH_BODY_LIMIT_BYTES = 16 * 1024;

const tooComplex = (message: string): ApiException => new ApiException(400, ErrorCode.VALIDATION_ERROR, message);

/**
 * Refuses, in one linear pass over the raw text and before any parsing, a body nested deeper than
 * MAX_JSON_DEPTH: deep nesting would cost recursion in every later step.
 */
function assertShallow(text: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i += 1;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      depth += 1;
      if (depth > MAX_JSON_DEPTH) throw tooComplex(`The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`);
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth -= 1;
  }
}

/**
 * Walks the parsed body once, stopping at the first problem: more than MAX_JSON_NODES properties
 * and items (validation cost grows with them, and each unknown one would become an error detail),
 * or a NUL character (Postgres refuses it in text; no legitimate field carries one).
 */
function assertBounded(value: unknown): void {
  const stack: unknown[] = [value];
  let nodes = 0;
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current === 'string') {
      if (current.includes('\u0000')) throw tooComplex('Text in the body may not contain NUL characters');
    } else if (current !== null && typeof current === 'object') {
      const entries = Array.isArray(current) ? current : Object.entries(current);
      nodes += entries.length;
      if (nodes > MAX_JSON_NODES) throw tooComplex(`The JSON body has more than ${MAX_JSON_NODES} fields and items`);
      for (const entry of entries) {
        if (Array.isArray(current)) stack.push(entry);
        else {
          const [key, child] = entry as [string, unknown];
          if (key.includes('\u0000')) throw tooComplex('Field names may not contain NUL characters');
          // As secure-json-parse (Fastify's default) does: no prototype keys, ever.
          if (key === '__proto__' || key === 'constructor') throw tooComplex(`"${key}" is not allowed as a field name`);
          stack.push(child);
        }
      }
    }
  }
}

/**
 * Parses a JSON request body with bounded cost (docs/DECISIONS.md, decision 49): the size limit of
 * the route, the depth checked on the raw text, then the node count and NUL characters on the
 * result — so a hostile body costs milliseconds, whatever it holds, before validation starts.
 */
export function parseBoundedJson(text: string, limitBytes: number): unknown {
  if (Buffer.byteLength(text) > limitBytes) {
    throw new ApiException(
      413,
      ErrorCode.PAYLOAD_TOO_LARGE,
      `The body is larger than this route accepts (${limitBytes} bytes)`,
    );
  }
  if (text.trim() === '') {
    throw new ApiException(400, ErrorCode.VALIDATION_ERROR, 'Request body is empty but Content-Type is JSON');
  }
  assertShallow(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiException(400, ErrorCode.VALIDATION_ERROR, 'Request body is not valid JSON');
  }
  // Every JSON route takes an object: `null`, an array or a bare value is no request at all.
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ApiException(400, ErrorCode.VALIDATION_ERROR, 'The request body must be a JSON object');
  }
  assertBounded(value);
  return value;
}
