import { ApiException } from './api.exception';
import { MAX_JSON_DEPTH, MAX_JSON_NODES, parseBoundedJson } from './bounded-json';

const refusal = (text: string, limit = 1_048_576) => {
  try {
    parseBoundedJson(text, limit);
  } catch (error) {
    return error instanceof ApiException
      ? { status: error.getStatus(), code: error.code, message: error.message }
      : error;
  }
  return 'accepted';
};

describe('parseBoundedJson', () => {
  it('parses ordinary bodies, and refuses prototype keys', () => {
    expect(parseBoundedJson('{"login":"ada","password":"x","nested":{"a":[1,2,3]}}', 1024)).toEqual({
      login: 'ada',
      password: 'x',
      nested: { a: [1, 2, 3] },
    });
    expect(refusal('{"a":{"__proto__":{"admin":true}}}')).toMatchObject({ status: 400 });
    expect(refusal('{"constructor":{"prototype":{}}}')).toMatchObject({ status: 400 });
  });

  it('refuses 60 000 unknown fields (860 KB) in milliseconds, with one short error', () => {
    const body = JSON.stringify(Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`f${i}`, i])));
    const start = performance.now();
    const result = refusal(body);
    const elapsed = performance.now() - start;
    expect(result).toMatchObject({
      status: 400,
      code: 'VALIDATION_ERROR',
      message: expect.stringContaining(`${MAX_JSON_NODES}`),
    });
    // The refusal itself is cheap: no validation of 60 000 fields, no multi-megabyte error.
    expect(JSON.stringify(result).length).toBeLessThan(200);
    expect(elapsed).toBeGreaterThan(0);
  });

  it('refuses deep nesting before parsing, and NUL characters anywhere', () => {
    expect(refusal(`{"a":${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}}`)).toMatchObject({
      status: 400,
      message: expect.stringMatching(/nested/i),
    });
    expect(refusal('{"a":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}')).toBe('accepted');
    expect(refusal('{"login":"ada\\u0000"}')).toMatchObject({ status: 400, message: expect.stringMatching(/NUL/) });
    expect(refusal('{"lo\\u0000gin":"ada"}')).toMatchObject({ status: 400, message: expect.stringMatching(/NUL/) });
  });

  it("holds the route's size limit and refuses what is not JSON", () => {
    expect(refusal(JSON.stringify({ password: 'x'.repeat(20_000) }), 16_384)).toMatchObject({ status: 413 });
    expect(refusal('{"login":')).toMatchObject({ status: 400, message: 'Request body is not valid JSON' });
    expect(refusal('   ')).toMatchObject({ status: 400 });
  });

  it('takes an object only: null, arrays and bare values are no request body', () => {
    for (const body of ['null', '[]', '[{"login":"ada"}]', '42', '"ada"', 'true']) {
      expect(refusal(body)).toMatchObject({ status: 400, message: 'The request body must be a JSON object' });
    }
  });
});
