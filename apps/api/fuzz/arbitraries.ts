import fc from 'fast-check';
import {
  fitsString,
  propertiesOf,
  requiredOf,
  resolveSchema,
  type Schema,
  type SpecOperation,
  type SpecParameter,
  typesOf,
} from '../test/support/openapi-requests';

/**
 * fast-check arbitraries for the subset of JSON Schema the spec uses (OpenAPI 3.0): type
 * object/string/integer/number/boolean/array, enum, format (email, uuid, date-time, date, uri,
 * password, binary), minLength/maxLength, pattern, minimum/maximum (and exclusive ones),
 * minItems/maxItems/uniqueItems, required, additionalProperties, nullable, oneOf/anyOf/allOf and
 * `$ref` into components. No maintained library does this for fast-check 4 (json-schema-fast-check
 * is archived and built on fast-check 1), and this subset is small.
 *
 * A generated request is a `Draft`; values the fixtures must supply at send time (a real role id,
 * the caller's password) are `Hint`s in it, so the same seed draws the same requests every run.
 */

/** A value the fixtures fill in when the request is sent (fuzz/fixtures.ts names them). */
export class Hint {
  constructor(readonly name: string) {}
  toJSON(): string {
    return `<${this.name}>`;
  }
}

/** JSON text put in the body as is, where JSON.stringify cannot write the value (1e400). */
export class Raw {
  constructor(readonly text: string) {}
  toJSON(): string {
    return `<raw ${this.text}>`;
  }
}

export type BodyDraft =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; text: string; contentType: string }
  | { kind: 'multipart'; parts: PartDraft[] };

export interface PartDraft {
  name: string;
  data: string | Uint8Array | Hint;
  filename?: string;
  contentType?: string;
}

/** One request, before the fixtures fill it in. */
export interface Draft {
  path: Record<string, string | Hint>;
  query: Record<string, string | Hint>;
  headers: Record<string, string>;
  body: BodyDraft;
  /** What was done to a valid request to make this one (absent: meant to be valid). */
  mutation?: string;
}

/** Hint names that may stand for a value (`roleId` → a real role): see fuzz/fixtures.ts. */
export type HintSource = (where: 'path' | 'query' | 'body', name: string, schema: Schema) => string[];

const MAX_DEPTH = 6;

/** Length as JSON Schema counts it: code points. */
export const lengthOf = (text: string): number => [...text].length;

/** Text a client could type, or anything Unicode has (no NUL: every route refuses it, fuzz/oracle.ts). */
function textArb(minLength: number, maxLength: number): fc.Arbitrary<string> {
  const noNul = (text: string) => !text.includes('\u0000');
  const sized = (unit: 'grapheme-ascii' | 'binary' | 'grapheme') =>
    fc
      .string({ unit, minLength, maxLength })
      .filter((t) => noNul(t) && lengthOf(t) >= minLength && lengthOf(t) <= maxLength);
  const arbitraries: Array<fc.WeightedArbitrary<string>> = [
    { arbitrary: sized('grapheme-ascii'), weight: 4 },
    { arbitrary: sized('binary'), weight: 2 },
    { arbitrary: sized('grapheme'), weight: 1 },
  ];
  // The edges: exactly the shortest and the longest allowed.
  if (maxLength < 10_000) {
    arbitraries.push({ arbitrary: fc.constant('x'.repeat(maxLength)), weight: 1 });
    arbitraries.push({ arbitrary: fc.constant('y'.repeat(minLength)), weight: 1 });
  }
  return fc.oneof(...arbitraries);
}

function stringArb(schema: Schema): fc.Arbitrary<string> {
  const minLength = Number(schema.minLength ?? 0);
  const declaredMax = typeof schema.maxLength === 'number' ? schema.maxLength : undefined;
  const within = (text: string) => fitsString(schema, text);
  let arbitrary: fc.Arbitrary<string> | undefined;
  switch (schema.format) {
    case 'email':
      // RFC 5322's full range, and the plain addresses people have (what a stricter pattern keeps).
      arbitrary = fc.oneof(
        fc.emailAddress(),
        fc
          .tuple(fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,20}$/), fc.stringMatching(/^[a-z0-9-]{1,20}\.[a-z]{2,6}$/))
          .map(([local, domain]) => `${local}@${domain}`),
      );
      break;
    case 'uuid':
      arbitrary = fc.uuid();
      break;
    case 'date-time':
      arbitrary = fc
        .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2200-12-31T23:59:59Z'), noInvalidDate: true })
        .map((date) => date.toISOString());
      break;
    case 'date':
      arbitrary = fc
        .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2200-12-31T00:00:00Z'), noInvalidDate: true })
        .map((date) => date.toISOString().slice(0, 10));
      break;
    case 'uri':
    case 'url':
      arbitrary = fc.webUrl();
      break;
    default:
      break;
  }
  if (typeof schema.pattern === 'string') {
    const pattern = new RegExp(schema.pattern, 'u');
    const matching = fc.stringMatching(pattern);
    arbitrary = arbitrary ? arbitrary.filter((t) => pattern.test(t)) : matching;
  }
  if (arbitrary) return arbitrary.filter(within);
  // Without a declared limit, mostly short text and now and then a long one: a limit the server
  // keeps but the spec does not state is a finding.
  if (declaredMax === undefined) {
    return fc.oneof(
      { arbitrary: textArb(minLength, Math.max(minLength, 40)), weight: 6 },
      { arbitrary: textArb(Math.max(minLength, 200), Math.max(minLength, 600)), weight: 1 },
    );
  }
  return textArb(minLength, declaredMax);
}

function numberArb(schema: Schema, integer: boolean): fc.Arbitrary<number> {
  const exclusiveMin = schema.exclusiveMinimum;
  const exclusiveMax = schema.exclusiveMaximum;
  let min = typeof schema.minimum === 'number' ? schema.minimum : undefined;
  let max = typeof schema.maximum === 'number' ? schema.maximum : undefined;
  if (typeof exclusiveMin === 'number') min = exclusiveMin;
  if (typeof exclusiveMax === 'number') max = exclusiveMax;
  const minExcluded = exclusiveMin === true || typeof exclusiveMin === 'number';
  const maxExcluded = exclusiveMax === true || typeof exclusiveMax === 'number';
  const ints = fc.integer({
    min: min === undefined ? -1_000_000 : Math.ceil(min) + (minExcluded && Number.isInteger(min) ? 1 : 0),
    max: max === undefined ? 1_000_000 : Math.floor(max) - (maxExcluded && Number.isInteger(max) ? 1 : 0),
  });
  const edges = [min, max].filter((v): v is number => v !== undefined && Number.isInteger(v));
  const intsAndEdges =
    edges.length > 0 && !minExcluded && !maxExcluded ? fc.oneof(ints, fc.constantFrom(...edges)) : ints;
  if (integer) return intsAndEdges;
  const doubles = fc
    .double({ min, max, noNaN: true, noDefaultInfinity: true, minExcluded, maxExcluded })
    .map((v) => (Object.is(v, -0) ? 0 : v));
  return fc.oneof(intsAndEdges, doubles);
}

/** A valid value of `schema`; `name` is the property (or parameter) it is for, to find hints. */
export function valueArb(
  schemaIn: Schema | undefined,
  hints: HintSource,
  where: 'path' | 'query' | 'body' = 'body',
  name = '',
  depth = 0,
): fc.Arbitrary<unknown> {
  const schema = resolveSchema(schemaIn);
  const base = plainValueArb(schema, hints, where, depth);
  const named = hints(where, name, schema);
  const withHints =
    named.length > 0
      ? fc.oneof(
          { arbitrary: base, weight: 1 },
          { arbitrary: fc.constantFrom(...named.map((hint) => new Hint(hint))), weight: 2 },
        )
      : base;
  return schema.nullable === true ? fc.option(withHints, { nil: null, freq: 6 }) : withHints;
}

function plainValueArb(schema: Schema, hints: HintSource, where: 'path' | 'query' | 'body', depth: number) {
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return fc.constantFrom(...(schema.enum as unknown[]));
  const branches = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
  if (Array.isArray(branches)) return fc.oneof(...branches.map((b) => valueArb(b, hints, where, '', depth + 1)));
  const types = (typesOf(schema) ?? []).filter((t) => t !== 'null');
  if (types.length === 0) return fc.jsonValue({ maxDepth: 2 }).filter((v) => !JSON.stringify(v).includes('\\u0000'));
  return fc.oneof(...types.map((type) => typedArb(schema, type, hints, where, depth)));
}

function typedArb(
  schema: Schema,
  type: string,
  hints: HintSource,
  where: 'path' | 'query' | 'body',
  depth: number,
): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return stringArb(schema);
    case 'integer':
      return numberArb(schema, true);
    case 'number':
      return numberArb(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const minLength = Number(schema.minItems ?? 0);
      const maxLength = Math.min(Number(schema.maxItems ?? minLength + 4), minLength + 4);
      const items =
        depth >= MAX_DEPTH ? fc.constant(null) : valueArb(schema.items as Schema, hints, where, '', depth + 1);
      return schema.uniqueItems === true
        ? fc.uniqueArray(items, { minLength, maxLength, selector: (v) => JSON.stringify(v) })
        : fc.array(items, { minLength, maxLength });
    }
    case 'object':
      return objectArb(schema, hints, where, depth);
    default:
      return fc.constant(null);
  }
}

function objectArb(schema: Schema, hints: HintSource, where: 'path' | 'query' | 'body', depth: number) {
  const properties = propertiesOf(schema);
  const required = requiredOf(schema).filter((name) => name in properties);
  const model: Record<string, fc.Arbitrary<unknown>> = Object.fromEntries(
    Object.entries(properties).map(([name, property]) => [
      name,
      depth >= MAX_DEPTH ? fc.constant(null) : valueArb(property, hints, where, name, depth + 1),
    ]),
  );
  const declared = fc.record(model, { requiredKeys: required });
  const additional = schema.additionalProperties;
  if (additional === undefined || additional === false || depth >= MAX_DEPTH) return declared;
  // Free-form maps (`additionalProperties: true` or a schema): a few more keys of their values.
  const values =
    additional === true
      ? fc.jsonValue({ maxDepth: 2 }).filter((v) => !JSON.stringify(v).includes('\\u0000'))
      : valueArb(additional as Schema, hints, where, '', depth + 1);
  const keys = fc
    .string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 })
    .filter((key) => !(key in properties) && key !== '__proto__' && key !== 'constructor');
  return fc.tuple(declared, fc.dictionary(keys, values, { maxKeys: 3 })).map(([own, extra]) => ({ ...extra, ...own }));
}

/** A path parameter: never empty, never `.` or `..` (a client cannot send those as a segment). */
function pathValueArb(parameter: SpecParameter, hints: HintSource): fc.Arbitrary<string | Hint> {
  const schema = resolveSchema(parameter.schema);
  const named = hints('path', parameter.name, schema);
  const text = valueArb({ ...schema, minLength: Math.max(1, Number(schema.minLength ?? 0)) }, () => [], 'path')
    .map(String)
    .filter((t) => t !== '' && t !== '.' && t !== '..');
  return named.length > 0
    ? fc.oneof(
        { arbitrary: text, weight: 1 },
        { arbitrary: fc.constantFrom(...named.map((hint) => new Hint(hint))), weight: 3 },
      )
    : text;
}

/** A query parameter's text (numbers and booleans as a client writes them). */
function queryValueArb(parameter: SpecParameter, hints: HintSource): fc.Arbitrary<string | Hint> {
  return valueArb(parameter.schema, hints, 'query', parameter.name).map((v) =>
    v instanceof Hint ? v : Array.isArray(v) ? v.map(String).join(',') : String(v),
  );
}

/** A header's text: printable ASCII only (anything else is no header a client can send). */
function headerValueArb(parameter: SpecParameter): fc.Arbitrary<string> {
  const schema = resolveSchema(parameter.schema);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]).map(String));
  return fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 60 }).map((t) => t.trim() || 'x');
}

function multipartArb(schema: Schema, hints: HintSource): fc.Arbitrary<PartDraft[]> {
  const properties = propertiesOf(schema);
  const required = requiredOf(schema).filter((name) => name in properties);
  const model = Object.fromEntries(
    Object.entries(properties).map(([name, property]): [string, fc.Arbitrary<unknown>] => {
      if (property.format !== 'binary') return [name, valueArb(property, hints, 'body', name).map(String)];
      const images = hints('body', name, property).map((hint) => new Hint(hint));
      const bytes = fc.uint8Array({ minLength: 1, maxLength: 256 });
      return [name, images.length > 0 ? fc.oneof(fc.constantFrom(...images), bytes) : bytes];
    }),
  );
  return fc
    .record(model, { requiredKeys: required })
    .map((fields) =>
      Object.entries(fields).map(([name, data]) =>
        typeof data === 'string'
          ? { name, data }
          : { name, data: data as Uint8Array | Hint, filename: 'upload.bin', contentType: 'application/octet-stream' },
      ),
    );
}

/** Requests the spec says `op` accepts. */
export function validDraftArb(op: SpecOperation, hints: HintSource): fc.Arbitrary<Draft> {
  const path = fc.record(
    Object.fromEntries(op.parameters.filter((p) => p.in === 'path').map((p) => [p.name, pathValueArb(p, hints)])),
  );
  // Optional query parameters are left out two times in three: lists take paging parameters of two
  // kinds that may not be mixed, and every one of them at once would be refused most of the time.
  const query = fc
    .tuple(
      ...op.parameters
        .filter((p) => p.in === 'query')
        .map((p): fc.Arbitrary<readonly [string, string | Hint] | undefined> => {
          const pair = queryValueArb(p, hints).map((value) => [p.name, value] as const);
          return p.required
            ? pair
            : fc.oneof({ arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: pair, weight: 1 });
        }),
    )
    .map((pairs) => Object.fromEntries(pairs.filter((pair) => pair !== undefined)) as Record<string, string | Hint>);
  const headerParameters = op.parameters.filter((p) => p.in === 'header');
  const headers = fc.record(Object.fromEntries(headerParameters.map((p) => [p.name, headerValueArb(p)])), {
    requiredKeys: headerParameters.filter((p) => p.required).map((p) => p.name),
  });
  let body: fc.Arbitrary<BodyDraft> = fc.constant({ kind: 'none' });
  if (op.body?.media === 'application/json') {
    body = valueArb(op.body.schema, hints).map((value) => ({ kind: 'json', value }));
  } else if (op.body?.media === 'multipart/form-data') {
    body = multipartArb(resolveSchema(op.body.schema), hints).map((parts) => ({ kind: 'multipart', parts }));
  }
  return fc.record({ path, query, headers, body }).map(({ path: p, query: q, headers: h, body: b }) => ({
    path: p,
    query: q,
    headers: h,
    body: b,
  }));
}
