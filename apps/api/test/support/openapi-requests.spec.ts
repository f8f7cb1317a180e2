import { COMMITTED_SPEC } from './openapi-contract';
import {
  bodyErrors,
  fitsString,
  globalRuleErrors,
  parameterErrors,
  resolveSchema,
  resourceOf,
  sampleValue,
  type SpecOperation,
  specOperations,
} from './openapi-requests';

/**
 * The harness's own check: the attack suite and the fuzzer are only worth something if they read
 * every operation of the spec and judge requests as the spec does. No app runs.
 */
const operations = specOperations();
const find = (predicate: (op: SpecOperation) => boolean): SpecOperation => {
  const op = operations.find(predicate);
  if (!op) throw new Error('no such operation in the spec');
  return op;
};

describe('the committed spec, read as operations', () => {
  it('lists every method of every path', () => {
    const documented = Object.entries(COMMITTED_SPEC.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.map((op) => op.key).sort()).toEqual(documented.sort());
  });

  it('knows the collection of every path parameter', () => {
    const unknown = operations.flatMap((op) =>
      op.parameters
        .filter((p) => p.in === 'path' && resourceOf(op, p.name) === undefined)
        .map((p) => `${op.key} {${p.name}}`),
    );
    expect(unknown).toEqual([]);
  });

  it('makes a sample body every JSON-body operation accepts (the attack suite changes one thing only)', () => {
    const refused = operations
      .filter((op) => op.body?.media === 'application/json')
      .flatMap((op) => bodyErrors(op, sampleValue(op.body?.schema)).map((error) => `${op.key}: ${error}`));
    expect(refused).toEqual([]);
  });
});

describe('judging a request', () => {
  const withBody = find((op) => op.body?.media === 'application/json');

  it('takes a sample body and refuses a null one, an array and a string', () => {
    const sample = sampleValue(withBody.body?.schema);
    expect(bodyErrors(withBody, sample)).toEqual([]);
    for (const body of [null, [], 'text']) expect(bodyErrors(withBody, body)).not.toEqual([]);
  });

  it('coerces parameters as a client writes them and refuses text where a number belongs', () => {
    const isInteger = (p: SpecOperation['parameters'][number]) =>
      p.in === 'query' && resolveSchema(p.schema).type === 'integer';
    const op = find((o) => o.parameters.some(isInteger));
    const name = op.parameters.find(isInteger)?.name ?? '';
    const samples = (where: string, all: boolean) =>
      Object.fromEntries(
        op.parameters
          .filter((p) => p.in === where && (all || p.required))
          .map((p) => [p.name, String(sampleValue(p.schema))]),
      );
    const path = samples('path', true);
    const query = samples('query', false);
    expect(parameterErrors(op, { path, query: { ...query, [name]: '2' } })).toEqual([]);
    expect(parameterErrors(op, { path, query: { ...query, [name]: 'abc' } })).not.toEqual([]);
    expect(parameterErrors(op, { path, query: { ...query, [name]: '1e400' } })).not.toEqual([]);
  });

  it('applies the rules of every route: NUL, prototype keys, nesting, size and media type', () => {
    const rules = (text: string, extra: Partial<Parameters<typeof globalRuleErrors>[0]> = {}) =>
      globalRuleErrors({ url: '/api/v1/x', contentType: 'application/json', text, bodyLimitBytes: 1024, ...extra });
    expect(rules('{"a":"b"}')).toEqual([]);
    expect(globalRuleErrors({ url: '/api/v1/x?q=%00', bodyLimitBytes: 1024 })).not.toEqual([]);
    expect(rules('{"a":"x\\u0000"}')).not.toEqual([]);
    expect(rules('{"__proto__":{}}')).not.toEqual([]);
    expect(rules('{"a":{"constructor":1}}')).not.toEqual([]);
    expect(rules(`${'['.repeat(40)}${']'.repeat(40)}`)).not.toEqual([]);
    expect(rules(JSON.stringify({ a: 'x'.repeat(2000) }))).not.toEqual([]);
    expect(rules('{}', { contentType: 'text/plain' })).not.toEqual([]);
    expect(rules('{"a":')).not.toEqual([]);
    expect(rules('')).not.toEqual([]);
  });

  it('checks formats in full: an impossible date is no date-time', () => {
    expect(fitsString({ format: 'date-time' }, '2024-02-29T10:00:00Z')).toBe(true);
    expect(fitsString({ format: 'date-time' }, '2023-02-29T10:00:00Z')).toBe(false);
    expect(fitsString({ format: 'email' }, 'not-an-email')).toBe(false);
  });
});
