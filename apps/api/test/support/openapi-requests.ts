import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import type { HttpMethod } from './api';
import { COMMITTED_SPEC } from './openapi-contract';

/**
 * The committed spec (apps/api/openapi.json) read as a list of operations and what each accepts:
 * the attack suite (test/attack.e2e-spec.ts) and the fuzzer (fuzz/) iterate over it, so a route
 * added to the spec is attacked and fuzzed without anyone listing it. Requests are judged against
 * the spec by the same JSON Schema validator (Ajv) the responses are.
 */

/** A JSON Schema object of the spec (OpenAPI 3.0's subset, `$ref`s into components). */
export type Schema = { [keyword: string]: unknown };

export interface SpecParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Schema;
  description?: string;
  /** JSON pointer of the parameter's schema in the spec. */
  pointer: string;
}

export interface SpecBody {
  required: boolean;
  /** `application/json` or `multipart/form-data`. */
  media: string;
  schema: Schema;
}

export interface SpecOperation {
  /** `GET /api/v1/users/{id}`. */
  key: string;
  method: HttpMethod;
  /** The templated path, as in the spec. */
  path: string;
  parameters: SpecParameter[];
  body?: SpecBody;
  /** Names of the security schemes any of which the operation takes (empty: public). */
  security: string[];
  /** Public, but a caller who sends a credential is identified (`security` lists `{}` beside the scheme). */
  optionalAuth: boolean;
  /** The documented statuses. */
  statuses: number[];
  tags: string[];
  /** `x-permissions`, when the spec carries it (see `requiresPermission`). */
  permissions?: string[];
  summary: string;
}

interface RawOperation {
  summary?: string;
  tags?: string[];
  parameters?: Array<Partial<SpecParameter> & { $ref?: string }>;
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  security?: Array<Record<string, unknown>>;
  responses?: Record<string, unknown>;
  'x-permissions'?: string[];
}

const SPEC = COMMITTED_SPEC as unknown as {
  paths: Record<string, Record<string, RawOperation>>;
  components: { schemas: Record<string, Schema>; parameters?: Record<string, SpecParameter> };
};

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/** One part of a JSON pointer (`/` and `~` escaped). */
const pointerPart = (part: string): string => part.replace(/~/g, '~0').replace(/\//g, '~1');

/** Every operation of the committed spec, in the spec's order. */
export function specOperations(): SpecOperation[] {
  return Object.entries(SPEC.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([method]) => METHODS.has(method))
      .map(([method, raw]) => toOperation(path, method, raw)),
  );
}

function toOperation(path: string, method: string, raw: RawOperation): SpecOperation {
  const content = raw.requestBody?.content ?? {};
  const media = Object.keys(content)[0];
  return {
    key: `${method.toUpperCase()} ${path}`,
    method: method.toUpperCase() as HttpMethod,
    path,
    parameters: (raw.parameters ?? []).map((p, index) => {
      const parameter = p.$ref ? (resolveRef(p.$ref) as unknown as Partial<SpecParameter>) : p;
      return {
        name: parameter.name ?? '',
        in: parameter.in ?? 'query',
        required: parameter.required === true || parameter.in === 'path',
        schema: parameter.schema ?? {},
        description: parameter.description,
        pointer: p.$ref
          ? `${p.$ref.slice(1)}/schema`
          : `/paths/${pointerPart(path)}/${method}/parameters/${index}/schema`,
      };
    }),
    body: media
      ? { required: raw.requestBody?.required === true, media, schema: content[media]?.schema ?? {} }
      : undefined,
    security: (raw.security ?? []).flatMap((requirement) => Object.keys(requirement)),
    optionalAuth: (raw.security ?? []).some((requirement) => Object.keys(requirement).length === 0),
    statuses: Object.keys(raw.responses ?? {})
      .map(Number)
      .filter((status) => Number.isInteger(status)),
    tags: raw.tags ?? [],
    permissions: raw['x-permissions'],
    summary: raw.summary ?? '',
  };
}

/** A concrete path for a templated one (`{id}` → the value, URI-encoded). */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for the path parameter {${name}} of ${path}`);
    return encodeURIComponent(value);
  });
}

// ---------------------------------------------------------------------------------------------
// Schemas

/** The schema a local `$ref` (`#/components/schemas/X`) points at. */
export function resolveRef(ref: string): Schema {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, got ${ref}`);
  let target: unknown = COMMITTED_SPEC;
  for (const part of ref.slice(2).split('/')) {
    target = (target as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  if (target === undefined) throw new Error(`dangling $ref ${ref}`);
  return target as Schema;
}

/**
 * A schema with its `$ref` followed and `allOf` merged into one object schema (what Nest writes for
 * a nested DTO: `{ description, allOf: [{ $ref }] }`), the outer keywords kept. `oneOf`/`anyOf` are
 * left as they are: the generators pick one branch.
 */
export function resolveSchema(schema: Schema | undefined): Schema {
  if (!schema) return {};
  if (typeof schema.$ref === 'string') {
    const { $ref, ...rest } = schema;
    return resolveSchema({ ...resolveSchema(resolveRef($ref)), ...rest });
  }
  if (Array.isArray(schema.allOf)) {
    const { allOf, ...rest } = schema;
    const parts = (allOf as Schema[]).map(resolveSchema);
    const merged: Schema = {};
    for (const part of [...parts, rest]) {
      for (const [keyword, value] of Object.entries(part)) {
        if (keyword === 'properties') {
          merged.properties = { ...(merged.properties as object | undefined), ...(value as object) };
        } else if (keyword === 'required') {
          merged.required = [
            ...new Set([...((merged.required as string[] | undefined) ?? []), ...(value as string[])]),
          ];
        } else merged[keyword] = value;
      }
    }
    return merged;
  }
  return schema;
}

/** The JSON type(s) a resolved schema declares (`undefined`: any). */
export function typesOf(schema: Schema): string[] | undefined {
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.type)) return schema.type as string[];
  if (Array.isArray(schema.enum)) return [...new Set((schema.enum as unknown[]).map(jsonType))];
  if (schema.properties) return ['object'];
  return undefined;
}

export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** The declared properties of an object schema, resolved. */
export function propertiesOf(schema: Schema): Record<string, Schema> {
  return Object.fromEntries(
    Object.entries((schema.properties as Record<string, Schema> | undefined) ?? {}).map(([name, property]) => [
      name,
      resolveSchema(property),
    ]),
  );
}

export const requiredOf = (schema: Schema): string[] => (schema.required as string[] | undefined) ?? [];

// ---------------------------------------------------------------------------------------------
// Judging a request against the spec

/**
 * Requests are judged as responses are (test/support/openapi-contract.ts): Ajv on the committed
 * spec, OpenAPI's `nullable` understood, formats checked in full (an impossible date is not a
 * date-time), and numbers finite (`1e400` is no number a JSON parser can hand on).
 */
const ajv = new Ajv({ strict: false, allErrors: true, strictNumbers: true });
addFormats(ajv);
ajv.addSchema(COMMITTED_SPEC, 'request-spec.json');

const compiled = new Map<string, ValidateFunction | Error>();
function validatorAt(pointer: string): ValidateFunction {
  let validate = compiled.get(pointer);
  if (!validate) {
    try {
      validate = ajv.compile({ $ref: `request-spec.json#${pointer}` });
    } catch (error) {
      validate = error as Error;
    }
    compiled.set(pointer, validate);
  }
  if (validate instanceof Error)
    throw new Error(`the spec's schema at ${pointer} does not compile: ${validate.message}`);
  return validate;
}

const operationPointer = (op: SpecOperation): string => `/paths/${pointerPart(op.path)}/${op.method.toLowerCase()}`;

const describeErrors = (errors: ErrorObject[] | null | undefined, prefix: string): string[] =>
  (errors ?? []).map((e) => {
    const params = e.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : '';
    return `${prefix}${e.instancePath || ''} ${e.message ?? e.keyword}${params}`.trim();
  });

/** Why `value` is not a body the operation accepts (empty: it is one). */
export function bodyErrors(op: SpecOperation, value: unknown): string[] {
  if (!op.body) return [];
  const validate = validatorAt(`${operationPointer(op)}/requestBody/content/${pointerPart(op.body.media)}/schema`);
  return validate(value) ? [] : describeErrors(validate.errors, 'body');
}

const leafChecks = new Map<string, ValidateFunction>();

/**
 * Whether a string passes a string schema's own keywords (format, pattern, lengths), judged as
 * requests are; for generators that draw candidates and keep the ones that fit.
 */
export function fitsString(schema: Schema, text: string): boolean {
  const leaf = { type: 'string', ...pick(schema, ['format', 'pattern', 'minLength', 'maxLength']) };
  const key = JSON.stringify(leaf);
  let validate = leafChecks.get(key);
  if (!validate) {
    validate = ajv.compile(leaf);
    leafChecks.set(key, validate);
  }
  return validate(text);
}

const pick = (schema: Schema, keywords: string[]): Schema =>
  Object.fromEntries(keywords.filter((k) => schema[k] !== undefined).map((k) => [k, schema[k]]));

/** A JSON number as text (what a query or path parameter of a numeric type must look like). */
const NUMERIC = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/** A parameter's text as the value its schema types it (left as text when it is not one). */
function coerceParameter(text: string, schema: Schema): unknown {
  const types = typesOf(resolveSchema(schema)) ?? ['string'];
  if ((types.includes('number') || types.includes('integer')) && NUMERIC.test(text)) return Number(text);
  if (types.includes('boolean') && (text === 'true' || text === 'false')) return text === 'true';
  if (types.includes('array')) return text.split(',');
  return text;
}

/** Why the parameters are not ones the operation accepts (empty: they are). Undeclared ones are not judged. */
export function parameterErrors(
  op: SpecOperation,
  given: Partial<Record<SpecParameter['in'], Record<string, string>>>,
): string[] {
  const errors: string[] = [];
  op.parameters.forEach((parameter) => {
    const text = given[parameter.in]?.[parameter.name];
    if (text === undefined) {
      if (parameter.required) errors.push(`${parameter.in} parameter ${parameter.name} is required`);
      return;
    }
    if (parameter.in === 'path' && text === '') {
      errors.push(`path parameter ${parameter.name} is empty`);
      return;
    }
    const validate = validatorAt(parameter.pointer);
    if (!validate(coerceParameter(text, parameter.schema))) {
      errors.push(...describeErrors(validate.errors, `${parameter.in} parameter ${parameter.name}`));
    }
  });
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Rules of every request (not in any schema; the 400, 413 and 415 every operation documents)

/** Deepest nesting of a JSON body (common/http/bounded-json.ts). */
export const MAX_JSON_DEPTH = 32;
/** Most properties and items of a JSON body, all levels together. */
export const MAX_JSON_NODES = 2_000;
/** Largest JSON body under /api/v1/auth; other routes take BODY_LIMIT (the fuzzer sets it). */
export const AUTH_BODY_LIMIT_BYTES = 16 * 1024;

/**
 * What any route refuses, whatever its schema says, documented with the 400, 413 and 415 of every
 * operation (common/http/route.decorator.ts, docs/DECISIONS.md decision 49): a NUL character in the
 * URL or anywhere in a JSON body (Postgres cannot store it), the keys `__proto__` and `constructor`,
 * nesting deeper than 32 or more than 2000 properties and items, a body that is empty or not JSON,
 * and a body over the route's size limit (413) or of another media type than JSON or multipart (415).
 */
export function globalRuleErrors(request: {
  url: string;
  contentType?: string;
  text?: string;
  bodyLimitBytes: number;
}): string[] {
  const errors: string[] = [];
  if (/%00/.test(request.url)) errors.push('the URL holds a NUL character');
  if (request.text === undefined) return errors;
  const media = request.contentType?.split(';')[0].trim().toLowerCase();
  if (media === 'multipart/form-data') return errors;
  const limit = new URL(request.url, 'http://x').pathname.startsWith('/api/v1/auth/')
    ? AUTH_BODY_LIMIT_BYTES
    : request.bodyLimitBytes;
  if (Buffer.byteLength(request.text) > limit) return [...errors, `the body is over ${limit} bytes`];
  if (media !== 'application/json') return [...errors, `the body's media type is ${media ?? '(none)'}`];
  if (request.text.trim() === '') return [...errors, 'the JSON body is empty'];
  let value: unknown;
  try {
    value = JSON.parse(request.text);
  } catch {
    return [...errors, 'the body is not JSON'];
  }
  return [...errors, ...jsonRuleErrors(value)];
}

function jsonRuleErrors(value: unknown): string[] {
  const errors = new Set<string>();
  let nodes = 0;
  const walk = (node: unknown, depth: number): void => {
    if (typeof node === 'string') {
      if (node.includes('\u0000')) errors.add('a string in the body holds a NUL character');
      return;
    }
    if (node === null || typeof node !== 'object') return;
    if (depth > MAX_JSON_DEPTH) errors.add(`the body is nested deeper than ${MAX_JSON_DEPTH}`);
    const entries = Array.isArray(node) ? node.map((item, i) => [String(i), item] as const) : Object.entries(node);
    nodes += entries.length;
    for (const [key, child] of entries) {
      if (!Array.isArray(node)) {
        if (key.includes('\u0000')) errors.add('a field name holds a NUL character');
        if (key === '__proto__' || key === 'constructor') errors.add(`the body has a "${key}" key`);
      }
      walk(child, depth + 1);
    }
  };
  walk(value, 1);
  if (nodes > MAX_JSON_NODES) errors.add(`the body has more than ${MAX_JSON_NODES} properties and items`);
  return [...errors];
}

// ---------------------------------------------------------------------------------------------
// Access

/** The security scheme of the refresh cookie: a public route for the guard, a credential of its own. */
export const isBearer = (op: SpecOperation): boolean => op.security.includes('bearer');

/**
 * Tags whose operations act on the caller's own account only (sessions, tokens, profile, 2FA):
 * a signed-in user needs no permission for them. Used only while the spec has no `x-permissions`.
 */
export const SELF_SERVICE_TAGS = new Set(['Auth', 'Me']);

/**
 * Whether a plain signed-in user (verified, the default `user` role, a session) is refused by the
 * permission check. The spec says it with `x-permissions` on the operation, when it has it; until
 * then the only trace is a documented 403 (the `@Route` decorator documents one for permissions,
 * sessions-only routes, scopes and verified addresses alike, with one description), so a 403 on an
 * operation outside the self-service tags stands for "needs a permission".
 */
export function requiresPermission(op: SpecOperation, all: SpecOperation[] = specOperations()): boolean {
  if (all.some((o) => o.permissions !== undefined)) return (op.permissions ?? []).length > 0;
  return op.statuses.includes(403) && op.security.length > 0 && !op.tags.some((tag) => SELF_SERVICE_TAGS.has(tag));
}

/** Where `requiresPermission` got its answer, for reports. */
export const permissionMarker = (all: SpecOperation[] = specOperations()): 'x-permissions' | '403 + tags' =>
  all.some((o) => o.permissions !== undefined) ? 'x-permissions' : '403 + tags';

// ---------------------------------------------------------------------------------------------
// A valid-looking value of a schema

/**
 * Supplies a value for one property (or parameter) from the test's fixtures: a real role id for
 * `roleId`, an existing account for `login` … `undefined` leaves it to `sampleValue`.
 */
export type SampleHint = (name: string, schema: Schema) => unknown;

let sampleCounter = 0;

/**
 * One valid-looking value of a schema, without randomness: the enum's first value, the example,
 * a string of the allowed length and format, the lowest allowed number, every declared property
 * of an object. What the attack suite sends so that only its one change (no token, an extra field)
 * makes a request wrong. `hint` supplies fixture values by property name.
 */
export function sampleValue(schema: Schema | undefined, hint: SampleHint = () => undefined, name = ''): unknown {
  const resolved = resolveSchema(schema);
  const hinted = hint(name, resolved);
  if (hinted !== undefined) return hinted;
  if (Array.isArray(resolved.enum) && resolved.enum.length > 0) return resolved.enum[0];
  if (Array.isArray(resolved.oneOf ?? resolved.anyOf)) {
    return sampleValue(((resolved.oneOf ?? resolved.anyOf) as Schema[])[0], hint, name);
  }
  // Examples are fine values, but an address is made unique (sign-up and invitations refuse a taken one).
  const example = resolved.format === 'email' ? undefined : resolved.example;
  if (example !== undefined && resolved.type !== 'object' && resolved.type !== 'array') return example;
  if (resolved.default !== undefined) return resolved.default;
  const type = typesOf(resolved)?.find((t) => t !== 'null') ?? 'string';
  switch (type) {
    case 'object': {
      const value: Record<string, unknown> = {};
      for (const [property, propertySchema] of Object.entries(propertiesOf(resolved))) {
        value[property] = sampleValue(propertySchema, hint, property);
      }
      // A map (`additionalProperties` a schema) with a minimum size gets that many entries.
      const extra = resolved.additionalProperties;
      for (let i = Object.keys(value).length; i < Number(resolved.minProperties ?? 0); i += 1) {
        value[`field${i + 1}`] = typeof extra === 'object' && extra !== null ? sampleValue(extra as Schema, hint) : 'x';
      }
      return value;
    }
    case 'array': {
      const count = Math.max(1, Number(resolved.minItems ?? 0));
      return Array.from({ length: count }, () => sampleValue(resolved.items as Schema, hint, name));
    }
    case 'integer':
    case 'number': {
      const minimum = typeof resolved.minimum === 'number' ? resolved.minimum : 1;
      const maximum = typeof resolved.maximum === 'number' ? resolved.maximum : minimum + 10;
      return Math.min(Math.ceil(minimum), Math.floor(maximum));
    }
    case 'boolean':
      return true;
    default:
      return sampleString(resolved);
  }
}

function sampleString(schema: Schema): string {
  sampleCounter += 1;
  const tag = `${sampleCounter}${Math.random().toString(16).slice(2, 6)}`;
  switch (schema.format) {
    case 'email':
      return `sample-${tag}@example.com`;
    case 'uuid':
      return `0190f2a4-5b6c-7d8e-9f00-${tag.padStart(12, '0').slice(-12)}`;
    case 'date-time':
      return new Date(Date.now() + 30 * 86_400_000).toISOString();
    case 'date':
      return new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    case 'uri':
      return `https://example.com/${tag}`;
    default:
      break;
  }
  const minLength = Number(schema.minLength ?? 0);
  const maxLength = Number(schema.maxLength ?? 64);
  if (typeof schema.pattern === 'string') {
    const pattern = new RegExp(schema.pattern, 'u');
    for (const candidate of [
      `sample-${tag}`,
      `sample${tag}`,
      tag,
      `Sample ${tag}`,
      'a'.repeat(Math.max(1, minLength)),
    ]) {
      const text = candidate.slice(0, maxLength);
      if (text.length >= minLength && pattern.test(text)) return text;
    }
    // None of the usual shapes fits: one string the pattern matches (fixed seed: the same one every run).
    const [generated] = fc.sample(
      fc.stringMatching(pattern).filter((text) => text.length >= minLength && text.length <= maxLength),
      { seed: 42, numRuns: 1 },
    );
    return generated;
  }
  return `sample-${tag}`.padEnd(minLength, 'x').slice(0, Math.max(minLength, Math.min(maxLength, 64)));
}

// ---------------------------------------------------------------------------------------------
// Path parameters

/** What a path parameter names, read from the collection before it (`/roles/{id}` → a role). */
export type ResourceKind =
  | 'session'
  | 'token'
  | 'user'
  | 'username'
  | 'role'
  | 'avatar'
  | 'queue'
  | 'job'
  | 'post'
  | 'revision'
  | 'category'
  | 'tag'
  | 'comment'
  | 'media'
  | 'mediaFile'
  | 'export';

const COLLECTIONS: Record<string, ResourceKind> = {
  sessions: 'session',
  tokens: 'token',
  users: 'user',
  profiles: 'username',
  roles: 'role',
  avatars: 'avatar',
  queues: 'queue',
  jobs: 'job',
  posts: 'post',
  revisions: 'revision',
  categories: 'category',
  tags: 'tag',
  comments: 'comment',
  media: 'media',
  // /media/files/{key}
  files: 'mediaFile',
  exports: 'export',
};

/**
 * The kind of resource `{param}` of `op` names, or `undefined` for a collection no test knows yet:
 * tests fail on those, so a new route with a path parameter gets a fixture before it gets a pass.
 */
export function resourceOf(op: SpecOperation, param: string): ResourceKind | undefined {
  const segments = op.path.split('/');
  const at = segments.indexOf(`{${param}}`);
  return at > 0 ? COLLECTIONS[segments[at - 1]] : undefined;
}

/** The resources of the caller's own account: another user's must be out of reach. */
export const OWNED_RESOURCES: ReadonlySet<ResourceKind> = new Set(['session', 'token', 'export']);
