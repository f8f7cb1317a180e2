import { randomUUID } from 'node:crypto';
import { errorCodeForStatus } from '@atrium/contracts';
import type { AtriumApp } from '../src/bootstrap';
import { actors } from './support/actors';
import { COMMITTED_SPEC, componentViolations } from './support/openapi-contract';
import { startTestApp, TestResources } from './support/test-app';

type Schema = {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  additionalProperties?: unknown;
  example?: unknown;
};
type Operation = {
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { example?: { error?: { code?: string } } }> }>;
};
const components = COMMITTED_SPEC.components.schemas as Record<string, Schema>;
const operations = (): Array<[string, Operation]> =>
  Object.entries(COMMITTED_SPEC.paths as Record<string, Record<string, Operation>>).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]): [string, Operation] => [
      `${method.toUpperCase()} ${path}`,
      operation,
    ]),
  );

const SPECIFIC_CODES: Record<number, string> = {
  400: 'VALIDATION_ERROR',
  // The one 422 the API answers: a post with accessibility problems.
  422: 'ACCESSIBILITY_PROBLEMS',
  423: 'ACCOUNT_LOCKED',
};

/** The spec says what the server does: constraints, closed bodies, nulls, methods, error examples. */
describe('an accurate spec', () => {
  const resources = new TestResources();
  let atrium: AtriumApp;
  const { call, signedIn, asAdmin } = actors(() => atrium);

  beforeAll(async () => {
    await resources.create();
    atrium = await startTestApp(resources);
  });

  afterAll(async () => {
    await atrium?.close();
    await resources.drop();
  });

  it('closes every request body (additionalProperties: false), nested ones too, and carries the validators', () => {
    const open: string[] = [];
    const visit = (schema: Schema | undefined, where: string): void => {
      if (!schema) return;
      if (schema.$ref) {
        const name = schema.$ref.split('/').pop() as string;
        visit({ ...components[name], $ref: undefined }, name);
        return;
      }
      if (schema.type === 'object' && schema.properties && schema.additionalProperties !== false) open.push(where);
      for (const [key, property] of Object.entries(schema.properties ?? {})) visit(property, `${where}.${key}`);
      visit(schema.items, `${where}[]`);
      for (const part of schema.allOf ?? []) visit(part, where);
    };
    let bodies = 0;
    for (const [name, operation] of operations()) {
      const schema = operation.requestBody?.content['application/json']?.schema;
      if (schema) bodies += 1;
      visit(schema, name);
    }
    expect(bodies).toBeGreaterThan(15);
    expect(open).toEqual([]);
    // Constraints come from the class-validator decorators the server enforces.
    expect(components.RegisterDto).toMatchObject({
      required: ['email', 'username', 'password'],
      properties: {
        email: { format: 'email', maxLength: 254, pattern: expect.any(String) },
        username: { pattern: '^[a-zA-Z0-9_.-]{3,64}$' },
        password: { minLength: 8, maxLength: 128 },
      },
    });
    expect(components.CreateRoleDto.properties?.level).toMatchObject({ type: 'integer', minimum: 1, maximum: 99 });
    const users = (
      COMMITTED_SPEC.paths['/api/v1/users'] as unknown as Record<
        string,
        { parameters: Array<{ name: string; schema: object }> }
      >
    ).get;
    expect(users.parameters.find((p) => p.name === 'page')?.schema).toMatchObject({ type: 'integer', maximum: 10000 });
    expect(users.parameters.find((p) => p.name === 'sort')?.schema).toMatchObject({
      pattern: expect.stringContaining('username'),
    });
  });

  it('gives every error response an example of its own status', () => {
    const wrong: string[] = [];
    let examples = 0;
    for (const [name, operation] of operations()) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400) continue;
        const media = response.content?.['application/json'] as {
          schema?: Schema;
          example?: { error?: { code?: string } };
        };
        // The probes answer outside the envelope (their own documented bodies).
        if (media?.schema?.$ref !== '#/components/schemas/ErrorResponseDto') continue;
        const code = media.example?.error?.code;
        examples += 1;
        const expected = SPECIFIC_CODES[Number(status)] ?? errorCodeForStatus(Number(status));
        if (code !== expected) wrong.push(`${name} ${status}: ${String(code)}`);
      }
    }
    expect(examples).toBeGreaterThan(100);
    expect(wrong).toEqual([]);
  });

  it('the sign-up example in the spec signs up', async () => {
    const properties = components.RegisterDto.properties as Record<string, Schema>;
    const example = Object.fromEntries(Object.entries(properties).map(([key, schema]) => [key, schema.example]));
    expect(example.password).toEqual(expect.any(String));
    const res = await call('POST', '/api/v1/auth/register', {
      body: { email: 'ada@example.com', username: `ada${Date.now() % 100000}`, password: example.password },
    });
    expect(res.statusCode).toBe(202);
  });

  it('answers 405 with Allow for a documented path under another method, 404 for an unknown path', async () => {
    const login = await call('DELETE', '/api/v1/auth/login');
    expect(login.statusCode).toBe(405);
    expect(login.headers.allow).toBe('POST');
    expect(login.json().error.code).toBe('METHOD_NOT_ALLOWED');

    const user = await call('PUT', `/api/v1/users/${randomUUID()}`);
    expect(user.statusCode).toBe(405);
    expect(user.headers.allow).toBe('DELETE, GET, HEAD, PATCH');

    const me = await call('POST', '/api/v1/auth/me');
    expect(me.statusCode).toBe(405);
    expect(me.headers.allow).toBe('GET, HEAD');

    expect((await call('DELETE', '/api/v1/no-such-thing')).statusCode).toBe(404);
  });

  it('refuses null where the spec does not allow it, and a null body; clears nullable fields with null', async () => {
    const user = await signedIn();
    const preferences = await call('PATCH', '/api/v1/me', { token: user.token, body: { preferences: null } });
    expect(preferences.statusCode).toBe(400);
    expect(preferences.json().error.details[0].field).toBe('preferences');

    await call('PATCH', '/api/v1/me', { token: user.token, body: { bio: 'Hello', firstName: 'Ada' } });
    const cleared = await call('PATCH', '/api/v1/me', { token: user.token, body: { bio: null, firstName: null } });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json().data).toMatchObject({ bio: null, firstName: null });

    for (const payload of ['null', '[]', '"ada"']) {
      const res = await call('POST', '/api/v1/auth/login', {
        payload,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toBe('The request body must be a JSON object');
    }
    const nullLogin = await call('POST', '/api/v1/auth/login', { body: { login: null, password: 'x' } });
    expect(nullLogin.statusCode).toBe(400);

    const admin = await asAdmin();
    const role = await call('POST', '/api/v1/roles', {
      token: admin.token,
      body: { name: `nulls-${Date.now() % 100000}`, level: 10, description: null },
    });
    expect(role.statusCode).toBe(400);
    expect(role.json().error.details[0].field).toBe('description');
  });

  it("answers the router's own errors in the envelope: a malformed URL is 400, an over-long path segment 404", async () => {
    const malformed = await call('GET', '/api/v1/profiles/%E0%A4%A');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('BAD_REQUEST');
    const long = await call('GET', `/api/v1/profiles/${'a'.repeat(300)}`);
    expect(long.statusCode).toBe(404);
    expect(long.json().error.code).toBe('NOT_FOUND');
  });

  it('takes a date-time exactly when the spec does: with seconds and a zone, on a real day', async () => {
    // Before: role and token expiries took '2030-12-24 18:00' (a space, no seconds, no zone: read
    // in the server's zone) while the spec said RFC 3339 and even demanded a fraction of a second.
    const accepted = [
      '2030-12-24T18:00:00Z',
      '2030-12-24T18:00:00+01:00',
      '2030-12-24T18:00:00.25Z',
      '2032-02-29T10:00:00Z',
    ];
    const refused = [
      '2030-12-24 18:00',
      '2030-12-24T18:00Z',
      '2030-12-24T18:00:00',
      '2030-02-29T10:00:00Z',
      '2030-12-24',
    ];
    const admin = await asAdmin();
    const target = await signedIn();
    const roles = await call('GET', '/api/v1/roles', { token: admin.token });
    const roleId = (roles.json().data as Array<{ id: string; name: string }>).find((r) => r.name === 'user')?.id;
    for (const expiresAt of [...accepted, ...refused]) {
      const inSpec = componentViolations('RoleAssignmentDto', { roleId, expiresAt }).length === 0;
      expect([expiresAt, inSpec]).toEqual([expiresAt, accepted.includes(expiresAt)]);
      const res = await call('PUT', `/api/v1/users/${target.id}/roles`, {
        token: admin.token,
        body: { roles: [{ roleId, expiresAt }] },
      });
      expect([expiresAt, res.statusCode]).toEqual([expiresAt, inSpec ? 200 : 400]);
      if (!inSpec)
        expect(res.json().error.details[0]).toMatchObject({ field: 'roles.0.expiresAt', code: 'IS_DATE_TIME' });

      const token = await call('POST', '/api/v1/me/tokens', {
        token: admin.token,
        body: { name: 'dated', scopes: ['profile:read'], expiresAt },
      });
      expect([expiresAt, token.statusCode]).toEqual([expiresAt, inSpec ? 201 : 400]);

      const audit = await call('GET', '/api/v1/audit-events', { token: admin.token, query: { from: expiresAt } });
      expect([expiresAt, audit.statusCode]).toEqual([expiresAt, inSpec ? 200 : 400]);
    }
  });

  it('takes a sort key named twice (the first decides) and refuses anything the pattern does not match', async () => {
    const admin = await asAdmin();
    const twice = await call('GET', '/api/v1/users', { token: admin.token, query: { sort: 'username,-username' } });
    expect(twice.statusCode).toBe(200);
    for (const sort of [' username', 'username,', 'password', '--username']) {
      const res = await call('GET', '/api/v1/users', { token: admin.token, query: { sort } });
      expect(res.statusCode).toBe(400);
    }
  });
});
