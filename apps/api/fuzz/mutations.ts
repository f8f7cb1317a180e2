import fc from 'fast-check';
import {
  MAX_JSON_DEPTH,
  propertiesOf,
  requiredOf,
  resolveSchema,
  type Schema,
  type SpecOperation,
  type SpecParameter,
  typesOf,
} from '../test/support/openapi-requests';
import { type Draft, Hint, type HintSource, lengthOf, Raw, validDraftArb } from './arbitraries';

/**
 * Invalid requests: a valid one (fuzz/arbitraries.ts) with one thing broken — a required field
 * dropped, a wrong type, a value out of range or off its format or enum, an unknown property,
 * `null` where the schema does not allow it, a NUL character, a number no parser keeps (1e400), an
 * impossible date, a `null` or non-JSON body, another media type, an oversized or too deeply
 * nested body, a parameter missing or off its schema. Whether the result is really invalid is not
 * assumed: fuzz/oracle.ts judges every request against the spec itself.
 */

type Path = Array<string | number>;

/** A place in the body: where it is, its schema, its value in this request. */
interface Slot {
  path: Path;
  schema: Schema;
  value: unknown;
}

const IMPOSSIBLE_DATES = [
  '2023-02-29T10:00:00Z',
  '2024-02-30T10:00:00Z',
  '2024-04-31T00:00:00Z',
  '2024-13-01T00:00:00Z',
  '2024-00-10T00:00:00Z',
  '2024-01-01T24:30:00Z',
  '2024-01-01T10:61:00Z',
  '2024-01-01T10:00:61Z',
  '0000-00-00T00:00:00Z',
  '2024-01-01 10:00',
  'yesterday',
];
const BAD_FORMATS: Record<string, string[]> = {
  email: ['not-an-email', 'a@', '@example.com', 'a b@example.com', 'a@example..com'],
  uuid: [
    'not-a-uuid',
    '0190f2a4-5b6c-7d8e-9f00',
    '0190f2a45b6c7d8e9f00112233445566x',
    'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz',
  ],
  'date-time': IMPOSSIBLE_DATES,
  date: ['2023-02-29', '2024-13-01', '2024-1-1', 'today'],
  uri: ['not a uri', '://missing-scheme', 'http//example.com'],
};
/** Texts beyond any integer or double a server keeps. */
const HUGE_NUMBERS = ['1e400', '-1e400', '1' + '0'.repeat(400), '9007199254740993', '-9223372036854775809', '1e-400'];
const UNKNOWN_KEYS = ['isAdmin', 'role', 'passwordHash', 'x', 'zz_unknown'];

/** The body's places that have a schema, walking the value as sent. */
function slotsOf(schemaIn: Schema | undefined, value: unknown, path: Path = []): Slot[] {
  const schema = resolveSchema(schemaIn);
  const slots: Slot[] = [{ path, schema, value }];
  if (value instanceof Hint || value instanceof Raw) return slots;
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => slots.push(...slotsOf(schema.items as Schema, item, [...path, i])));
  } else if (value !== null && typeof value === 'object') {
    for (const [name, property] of Object.entries(propertiesOf(schema))) {
      const child = (value as Record<string, unknown>)[name];
      if (child !== undefined) slots.push(...slotsOf(property, child, [...path, name]));
    }
  }
  return slots;
}

/** A copy of `root` with the value at `path` replaced (`undefined`: removed). */
function setAt(root: unknown, path: Path, replace: (current: unknown) => unknown): unknown {
  if (path.length === 0) return replace(root);
  const [head, ...rest] = path;
  if (Array.isArray(root)) {
    const copy: unknown[] = [...(root as unknown[])];
    copy[head as number] = setAt(copy[head as number], rest, replace);
    return copy;
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(root as object)) {
    Object.defineProperty(copy, key, {
      value: (root as Record<string, unknown>)[key],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  const next = setAt(copy[head as string], rest, replace);
  if (next === undefined) delete copy[head as string];
  else copy[head as string] = next;
  return copy;
}

/** An own property, even `__proto__` (an assignment would set the prototype instead). */
function withOwnKey(target: unknown, key: string, value: unknown): unknown {
  const copy = { ...(target as object) };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

const label = (path: Path): string => (path.length === 0 ? '(body)' : path.join('.'));

/** Values of another JSON type than the schema allows. */
function wrongTypes(schema: Schema): unknown[] {
  const types = typesOf(schema);
  if (!types) return [];
  const candidates: Array<[string, unknown]> = [
    ['string', 'text'],
    ['integer', 42],
    ['number', 1.5],
    ['boolean', true],
    ['object', { a: 1 }],
    ['array', ['a']],
  ];
  return candidates
    .filter(([type]) => !types.includes(type) && !(type === 'integer' && types.includes('number')))
    .map(([, value]) => value);
}

/** Ways to break the value at one slot: [mutation name, replacement]. */
function slotBreakers(slot: Slot): Array<[string, fc.Arbitrary<unknown>]> {
  const { schema, value } = slot;
  const breakers: Array<[string, fc.Arbitrary<unknown>]> = [];
  const wrong = wrongTypes(schema);
  if (wrong.length > 0) breakers.push(['wrong type', fc.constantFrom(...wrong)]);
  if (schema.nullable !== true && !typesOf(schema)?.includes('null'))
    breakers.push(['null where not nullable', fc.constant(null)]);
  if (Array.isArray(schema.enum)) {
    breakers.push([
      'not in the enum',
      fc.constantFrom('not-in-enum', 'ADMIN', '', 7).filter((v) => !(schema.enum as unknown[]).includes(v)),
    ]);
  }
  const types = typesOf(schema) ?? [];
  if (types.includes('string') && !Array.isArray(schema.enum)) {
    const text = typeof value === 'string' ? value : 'text';
    if (typeof schema.maxLength === 'number') {
      breakers.push([
        'longer than maxLength',
        fc.integer({ min: 1, max: 40 }).map((extra) => 'x'.repeat((schema.maxLength as number) + extra)),
      ]);
    }
    if (typeof schema.minLength === 'number' && schema.minLength > 0) {
      breakers.push(['shorter than minLength', fc.constant([...text].slice(0, schema.minLength - 1).join(''))]);
    }
    const formats = BAD_FORMATS[String(schema.format)];
    if (formats)
      breakers.push([
        schema.format === 'date-time' ? 'impossible date' : 'off its format',
        fc.constantFrom(...formats),
      ]);
    if (typeof schema.pattern === 'string') {
      const pattern = new RegExp(schema.pattern, 'u');
      const off = ['', ' ', 'a b', '!!', 'ü', '<script>', 'x'.repeat(300)].filter((t) => !pattern.test(t));
      if (off.length > 0) breakers.push(['not matching its pattern', fc.constantFrom(...off)]);
    }
    breakers.push([
      'NUL character',
      fc.nat({ max: lengthOf(text) }).map((at) => `${text.slice(0, at)}\u0000${text.slice(at)}`),
    ]);
  }
  if (types.includes('integer') || types.includes('number')) {
    const current = typeof value === 'number' ? value : 1;
    if (typeof schema.maximum === 'number')
      breakers.push(['above maximum', fc.constantFrom(schema.maximum + 1, schema.maximum + 1000)]);
    if (typeof schema.minimum === 'number')
      breakers.push(['below minimum', fc.constantFrom(schema.minimum - 1, schema.minimum - 1000)]);
    if (types.includes('integer') && !types.includes('number'))
      breakers.push(['not an integer', fc.constant(current + 0.5)]);
    breakers.push(['huge number', fc.constantFrom(...HUGE_NUMBERS).map((text) => new Raw(text))]);
  }
  if (types.includes('array')) {
    const items: unknown[] = Array.isArray(value) ? (value as unknown[]) : [];
    if (typeof schema.maxItems === 'number') {
      breakers.push([
        'more items than maxItems',
        fc.constant(Array.from({ length: schema.maxItems + 1 }, (_, i) => items[i % Math.max(1, items.length)] ?? 'x')),
      ]);
    }
    if (typeof schema.minItems === 'number' && schema.minItems > 0)
      breakers.push(['fewer items than minItems', fc.constant(items.slice(0, schema.minItems - 1))]);
    if (schema.uniqueItems === true && items.length > 0)
      breakers.push(['duplicate items', fc.constant([...items, items[0]])]);
  }
  if (types.includes('object') && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const properties = propertiesOf(schema);
    const present = requiredOf(schema).filter((name) => (value as Record<string, unknown>)[name] !== undefined);
    if (present.length > 0) {
      breakers.push([
        'a required property missing',
        fc.constantFrom(...present).map((name) => setAt(value, [name], () => undefined)),
      ]);
    }
    if (schema.additionalProperties !== true && typeof schema.additionalProperties !== 'object') {
      const unknown = UNKNOWN_KEYS.filter((key) => !(key in properties));
      breakers.push([
        'an unknown property',
        fc
          .tuple(fc.constantFrom(...unknown), fc.constantFrom<unknown>(true, 'admin', 1, null))
          .map(([key, v]) => withOwnKey(value, key, v)),
      ]);
    }
    breakers.push(['a "__proto__" key', fc.constant(withOwnKey(value, '__proto__', { isAdmin: true }))]);
    breakers.push([
      'a "constructor" key',
      fc.constant(withOwnKey(value, 'constructor', { prototype: { isAdmin: true } })),
    ]);
  }
  return breakers;
}

/** One mutation of a draft: its name and the mutated drafts. */
interface Mutation {
  name: string;
  arbitrary: fc.Arbitrary<Draft>;
}

/** Nested `depth` arrays around a value. */
const nested = (depth: number): unknown => Array.from({ length: depth }).reduce<unknown>((inner) => [inner], 'deep');

function bodyMutations(op: SpecOperation, draft: Draft, bodyLimitBytes: number): Mutation[] {
  const mutations: Mutation[] = [];
  const at = (name: string, body: Draft['body']): Mutation => ({
    name,
    arbitrary: fc.constant({ ...draft, body, mutation: name }),
  });
  const json = (text: string) => ({ kind: 'text' as const, text, contentType: 'application/json' });
  const limit = op.path.startsWith('/api/v1/auth/') ? 16 * 1024 : bodyLimitBytes;
  if (draft.body.kind === 'json') {
    const root = draft.body.value;
    for (const slot of slotsOf(op.body?.schema, root)) {
      for (const [name, replacement] of slotBreakers(slot)) {
        const mutation = `${name} at ${label(slot.path)}`;
        mutations.push({
          name: mutation,
          arbitrary: replacement.map((v) => ({
            ...draft,
            body: { kind: 'json' as const, value: setAt(root, slot.path, () => v) },
            mutation,
          })),
        });
      }
    }
    mutations.push(
      at(`nested deeper than ${MAX_JSON_DEPTH}`, {
        kind: 'json',
        value: withOwnKey(root, 'deep', nested(MAX_JSON_DEPTH + 4)),
      }),
    );
  }
  if (op.body) {
    mutations.push(at('a null body', json('null')));
    mutations.push(at('an array body', json('[]')));
    mutations.push(at('a string body', json('"text"')));
    if (op.body.required) mutations.push(at('no body', { kind: 'none' }));
  }
  if (op.method !== 'GET') {
    // What any route refuses, body or not: fuzz/oracle.ts (globalRuleErrors).
    mutations.push(at('a body that is not JSON', json('{"a": ')));
    mutations.push(at('an empty JSON body', json('')));
    mutations.push(at('a NUL character in a JSON body', json('{"a":"x\\u0000y"}')));
    mutations.push(at('a "__proto__" key in a JSON body', json('{"__proto__":{"isAdmin":true}}')));
    mutations.push(at('another media type', { kind: 'text', text: '{}', contentType: 'text/plain' }));
    mutations.push(
      at('a form-encoded body', {
        kind: 'text',
        text: 'isAdmin=true',
        contentType: 'application/x-www-form-urlencoded',
      }),
    );
    mutations.push(at('a body over the size limit', json(JSON.stringify({ padding: 'x'.repeat(limit + 10) }))));
  }
  if (draft.body.kind === 'multipart') {
    const parts = draft.body.parts;
    mutations.push(at('a multipart body without parts', { kind: 'multipart', parts: [] }));
    mutations.push(
      at('an unknown multipart field', { kind: 'multipart', parts: [...parts, { name: 'isAdmin', data: 'true' }] }),
    );
    if (parts.length > 0)
      mutations.push(at('a multipart field twice', { kind: 'multipart', parts: [...parts, parts[0]] }));
  }
  return mutations;
}

/** Ways to break one parameter's text. */
function parameterBreakers(
  parameter: SpecParameter,
  current: string | Hint | undefined,
): Array<[string, fc.Arbitrary<string | undefined>]> {
  const schema = resolveSchema(parameter.schema);
  const types = typesOf(schema) ?? ['string'];
  const breakers: Array<[string, fc.Arbitrary<string | undefined>]> = [];
  if (parameter.required && parameter.in === 'query') breakers.push(['missing', fc.constant(undefined)]);
  if (types.includes('integer') || types.includes('number')) {
    breakers.push(['not a number', fc.constantFrom('abc', '', 'NaN', 'Infinity', '1,5', '0x10', ' 1')]);
    breakers.push(['huge number', fc.constantFrom(...HUGE_NUMBERS)]);
    if (typeof schema.maximum === 'number') breakers.push(['above maximum', fc.constant(String(schema.maximum + 1))]);
    if (typeof schema.minimum === 'number') breakers.push(['below minimum', fc.constant(String(schema.minimum - 1))]);
    if (types.includes('integer') && !types.includes('number')) breakers.push(['not an integer', fc.constant('1.5')]);
  }
  if (types.includes('boolean')) breakers.push(['not a boolean', fc.constantFrom('yes', '1', 'TRUE', '')]);
  if (Array.isArray(schema.enum)) breakers.push(['not in the enum', fc.constantFrom('not-in-enum', 'ADMIN', '')]);
  const formats = BAD_FORMATS[String(schema.format)];
  if (formats)
    breakers.push([schema.format === 'date-time' ? 'impossible date' : 'off its format', fc.constantFrom(...formats)]);
  if (typeof schema.pattern === 'string') {
    const pattern = new RegExp(schema.pattern, 'u');
    const off = ['', 'a b', '!!', 'ü', 'x'.repeat(300), 'ABCDEF'].filter((t) => !pattern.test(t));
    if (off.length > 0) breakers.push(['not matching its pattern', fc.constantFrom(...off)]);
  }
  if (typeof schema.maxLength === 'number')
    breakers.push(['longer than maxLength', fc.constant('x'.repeat(schema.maxLength + 1))]);
  if (typeof schema.minLength === 'number' && schema.minLength > 1)
    breakers.push(['shorter than minLength', fc.constant('x'.repeat(schema.minLength - 1))]);
  const text = typeof current === 'string' ? current : 'x';
  breakers.push(['NUL character', fc.constant(`${text}\u0000`)]);
  return breakers;
}

function parameterMutations(op: SpecOperation, draft: Draft): Mutation[] {
  const mutations: Mutation[] = [];
  for (const parameter of op.parameters.filter((p) => p.in === 'path' || p.in === 'query')) {
    const where = parameter.in === 'path' ? 'path' : 'query';
    for (const [name, replacement] of parameterBreakers(parameter, draft[where][parameter.name])) {
      const mutation = `${where} parameter ${parameter.name}: ${name}`;
      mutations.push({
        name: mutation,
        arbitrary: replacement
          // An empty path segment is another URL (another route): not this parameter broken.
          .filter((v) => parameter.in !== 'path' || (v !== undefined && v !== '' && v !== '.' && v !== '..'))
          .map((v) => {
            const values = { ...draft[where] };
            if (v === undefined) delete values[parameter.name];
            else values[parameter.name] = v;
            return { ...draft, [where]: values, mutation };
          }),
      });
    }
  }
  // Every operation: a NUL character in the URL (an undeclared query parameter).
  const nul = 'a NUL character in the query string';
  mutations.push({
    name: nul,
    arbitrary: fc.constant({ ...draft, query: { ...draft.query, q: 'x\u0000' }, mutation: nul }),
  });
  return mutations;
}

/** Requests made invalid in one way each, from valid ones. */
export function invalidDraftArb(op: SpecOperation, hints: HintSource, bodyLimitBytes: number): fc.Arbitrary<Draft> {
  return validDraftArb(op, hints).chain((draft) => {
    const mutations = [...bodyMutations(op, draft, bodyLimitBytes), ...parameterMutations(op, draft)];
    return fc.oneof(...mutations.map((m) => m.arbitrary));
  });
}
