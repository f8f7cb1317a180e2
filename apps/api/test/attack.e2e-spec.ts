import { createHmac, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ErrorCode } from '@atrium/contracts';
import type { AtriumApp } from '../src/bootstrap';
import { type Actor, actors } from './support/actors';
import type { CallOptions, InjectResponse } from './support/api';
import { RED, rgb } from './support/avatars';
import { newRole } from './support/factories';
import {
  fillPath,
  isBearer,
  OWNED_RESOURCES,
  permissionMarker,
  propertiesOf,
  requiresPermission,
  resolveSchema,
  resourceOf,
  type SampleHint,
  sampleValue,
  type Schema,
  type SpecOperation,
  specOperations,
  typesOf,
} from './support/openapi-requests';
import { startTestApp, TestResources } from './support/test-app';

/**
 * The attack suite: every operation of the committed spec (apps/api/openapi.json), read at run
 * time — no route list to keep — attacked as an anonymous caller, a forger, a plain user, another
 * user and a mass-assigner. A route added to the spec is covered the moment it is documented; one
 * whose path parameter names a collection nobody has a fixture for fails until it gets one
 * (`resourceOf` in support/openapi-requests.ts).
 *
 * Requests carry valid-looking bodies (`sampleValue`: the schema's enum, example, lengths, formats)
 * and real ids from fixtures, so only the one thing under attack makes a request wrong.
 */

const OPERATIONS = specOperations();
const table = (ops: SpecOperation[]): Array<[string, SpecOperation]> => ops.map((op) => [op.key, op]);

/** Fields an attacker adds to a body, hoping the server stores them as sent. */
const EXTRAS: Record<string, unknown> = {
  isAdmin: true,
  roles: ['admin'],
  role: 'admin',
  permissions: ['*'],
  emailVerified: true,
  isActive: true,
  id: '0190f2a4-5b6c-7d8e-9f00-000000000001',
  userId: '0190f2a4-5b6c-7d8e-9f00-000000000002',
  passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
  level: 100,
};

describe('attack suite over the committed spec', () => {
  const resources = new TestResources();
  let atrium: AtriumApp;
  const { call, signIn, signedIn, asAdmin } = actors(() => atrium);
  const db = (): DataSource => atrium.app.get(DataSource);

  let admin: Actor;
  /** Someone else: the owner of the rows other callers aim at. */
  let bystander: Actor;
  let customRoleId: string;
  let png: Buffer;

  beforeAll(async () => {
    await resources.create();
    atrium = await startTestApp(resources, {
      THROTTLE_LIMIT: '1000000',
      AUTH_THROTTLE_LIMIT: '1000000',
      LOCKOUT_THRESHOLD: '1000',
    });
    admin = await asAdmin();
    bystander = await signedIn();
    const role = await call('POST', '/api/v1/roles', { token: admin.token, body: newRole([]) });
    expect(role.statusCode).toBe(201);
    customRoleId = role.json().data.id as string;
    png = await rgb(16, 16, () => RED)
      .png()
      .toBuffer();
  });

  afterAll(async () => {
    await atrium?.close();
    await resources.drop();
  });

  /** A personal access token of `owner`'s. */
  /** A fresh published post of the admin's (a DELETE or an unpublish may spend it). */
  const publishedPost = async (): Promise<string> => {
    const res = await call('POST', '/api/v1/posts', {
      token: admin.token,
      body: { title: 'Attack fixture', body: 'A post to attack.' },
    });
    expect(res.statusCode).toBe(201);
    const id = res.json().data.id as string;
    expect((await call('POST', `/api/v1/posts/${id}/publish`, { token: admin.token })).statusCode).toBe(200);
    return id;
  };
  /** A fresh category or tag of the admin's (a DELETE or a merge spends it). */
  const taxonomyFixture = async (collection: 'categories' | 'tags'): Promise<string> => {
    const res = await call('POST', `/api/v1/${collection}`, { token: admin.token, body: { name: 'Attack fixture' } });
    expect(res.statusCode).toBe(201);
    return res.json().data.id as string;
  };
  const patOf = async (owner: Actor): Promise<{ id: string; token: string }> => {
    const res = await call('POST', '/api/v1/me/tokens', {
      token: owner.token,
      body: { name: 'attack', scopes: ['profile:read'] },
    });
    expect(res.statusCode).toBe(201);
    return res.json().data as { id: string; token: string };
  };

  /** Whether an access token or personal access token still signs its owner in. */
  const works = async (token: string): Promise<boolean> =>
    (await call('GET', '/api/v1/auth/me', { token })).statusCode === 200;

  /**
   * Real values for the path parameters of `op`: the caller's own session or token (a fresh one:
   * a DELETE ends it), someone else's account, a custom role, a job that exists.
   */
  const pathValues = async (op: SpecOperation, caller: Actor | undefined): Promise<Record<string, string>> => {
    const values: Record<string, string> = {};
    for (const parameter of op.parameters.filter((p) => p.in === 'path')) {
      const owner = caller ?? bystander;
      const kind = resourceOf(op, parameter.name);
      switch (kind) {
        case 'session':
          values[parameter.name] = (await signIn(owner.username, owner.password)).sessionId;
          break;
        case 'token':
          values[parameter.name] = (await patOf(owner)).id;
          break;
        case 'user':
          values[parameter.name] = bystander.id;
          break;
        case 'username':
          values[parameter.name] = bystander.username;
          break;
        case 'role':
          values[parameter.name] = customRoleId;
          break;
        case 'post':
          values[parameter.name] = await publishedPost();
          break;
        case 'category':
          values[parameter.name] = await taxonomyFixture('categories');
          break;
        case 'comment': {
          const res = await call('POST', `/api/v1/posts/${await publishedPost()}/comments`, {
            token: admin.token,
            body: { body: 'A comment to attack.' },
          });
          expect(res.statusCode).toBe(201);
          values[parameter.name] = res.json().data.id as string;
          break;
        }
        case 'tag':
          values[parameter.name] = await taxonomyFixture('tags');
          break;
        case 'media': {
          // The caller's own image when they may upload (someone else's is not theirs to reach), else the admin's.
          let res = await call('POST', '/api/v1/media', {
            token: owner.token,
            multipart: [{ name: 'file', data: png, filename: 'a.png', contentType: 'image/png' }],
          });
          if (res.statusCode !== 201) {
            res = await call('POST', '/api/v1/media', {
              token: admin.token,
              multipart: [{ name: 'file', data: png, filename: 'a.png', contentType: 'image/png' }],
            });
          }
          expect(res.statusCode).toBe(201);
          values[parameter.name] = res.json().data.id as string;
          break;
        }
        case 'revision': {
          // The newest revision of the post named before it in the path.
          const revisions = await call('GET', `/api/v1/posts/${values.id}/revisions`, { token: admin.token });
          values[parameter.name] = (revisions.json().data as Array<{ id: string }>)[0].id;
          break;
        }
        case 'job': {
          const jobs = await call('GET', '/api/v1/admin/queues/mail/jobs', {
            token: admin.token,
            query: { state: 'waiting' },
          });
          values[parameter.name] = (jobs.json().data as Array<{ id: string }>)[0]?.id ?? '1';
          break;
        }
        case 'export': {
          // The caller's own export (a signed-in caller's; the admin's for anonymous calls).
          const res = await call('POST', '/api/v1/me/exports', { token: (caller ?? admin).token });
          expect(res.statusCode).toBe(202);
          values[parameter.name] = res.json().data.id as string;
          break;
        }
        case 'avatar':
        case 'mediaFile':
        case 'queue':
          values[parameter.name] = String(sampleValue(parameter.schema));
          break;
        case undefined:
          throw new Error(`no fixture for {${parameter.name}} of ${op.key}: teach resourceOf its collection`);
      }
    }
    return values;
  };

  /** Fixture values for body fields: real credentials, a real role. */
  const hintsFor =
    (actor: Actor | undefined, { secrets }: { secrets: boolean }): SampleHint =>
    (name) => {
      if (name === 'login') return (actor ?? bystander).username;
      if (name === 'password' && !actor) return bystander.password;
      if (secrets && (name === 'password' || name === 'currentPassword')) return actor?.password;
      if (name === 'roleId') return customRoleId;
      // Scopes the caller holds (a token never gets more than its owner has: asking for more is a 403 of its own).
      if (name === 'scopes') return ['profile:read'];
      if (name === 'refreshToken' && actor) return Object.values(actor.cookies)[0];
      return undefined;
    };

  /** The request `op` is sent with: a valid-looking body, real path values. */
  const requestFor = async (
    op: SpecOperation,
    caller: Actor | undefined,
    hint: SampleHint,
  ): Promise<{ url: string; options: CallOptions }> => {
    const url = fillPath(op.path, await pathValues(op, caller));
    const query: Record<string, string> = {};
    for (const parameter of op.parameters.filter((p) => p.in === 'query' && p.required)) {
      query[parameter.name] = String(sampleValue(parameter.schema, hint, parameter.name));
    }
    const options: CallOptions = { query };
    if (op.body?.media === 'application/json') options.body = sampleValue(op.body.schema, hint);
    if (op.body?.media === 'multipart/form-data') {
      options.multipart = Object.entries(propertiesOf(resolveSchema(op.body.schema))).map(([name, schema]) =>
        schema.format === 'binary'
          ? { name, data: png, filename: 'a.png', contentType: 'image/png' }
          : { name, data: String(sampleValue(schema, hint, name)) },
      );
    }
    return { url, options };
  };

  const describeResponse = (res: InjectResponse): string => `${res.statusCode} ${res.body.slice(0, 300)}`;

  describe('(a) without credentials: a secured operation answers 401 in the envelope, a public one never does', () => {
    it.each(table(OPERATIONS))('%s', async (_key, op) => {
      const { url, options } = await requestFor(op, undefined, hintsFor(undefined, { secrets: false }));
      const res = await call(op.method, url, options);
      if (op.security.length > 0 && !op.optionalAuth) {
        expect({ status: res.statusCode, code: res.json().error?.code }).toEqual({
          status: 401,
          code: ErrorCode.UNAUTHENTICATED,
        });
      } else {
        // Public: served (whatever the use case says), never turned away for want of a credential.
        expect(res.statusCode).not.toBe(401);
        expect(res.statusCode).toBeLessThan(500);
      }
    });
  });

  describe('(a) with a forged access token: every bearer operation answers 401', () => {
    const encode = (part: object): string => Buffer.from(JSON.stringify(part)).toString('base64url');
    const sign = (header: object, claims: object, key: string): string => {
      const unsigned = `${encode(header)}.${encode(claims)}`;
      return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
    };
    const forgeries = (): Array<[string, string]> => {
      const now = Math.floor(Date.now() / 1000);
      const claims = { sub: admin.id, sid: admin.sessionId, jti: randomUUID(), iss: 'atrium', aud: 'atrium-api' };
      const valid = { ...claims, iat: now, exp: now + 600 };
      const [header, , signature] = admin.token.split('.');
      return [
        ['signed with another key', sign({ alg: 'HS256', typ: 'JWT' }, valid, 'not-the-secret')],
        ['alg none', `${encode({ alg: 'none', typ: 'JWT' })}.${encode(valid)}.`],
        [
          "someone else's id under the admin's signature",
          `${header}.${encode({ ...valid, sub: bystander.id })}.${signature}`,
        ],
        ['expired an hour ago, signed with another key', sign({ alg: 'HS256' }, { ...claims, exp: now - 3600 }, 'x')],
        ['a personal access token that does not exist', `atr_pat_${'A'.repeat(43)}`],
      ];
    };

    it.each(table(OPERATIONS.filter(isBearer)))('%s', async (_key, op) => {
      const { url, options } = await requestFor(op, admin, hintsFor(admin, { secrets: false }));
      const failures: string[] = [];
      for (const [forgery, token] of forgeries()) {
        const res = await call(op.method, url, { ...options, token });
        if (res.statusCode !== 401) failures.push(`${forgery}: ${describeResponse(res)}`);
      }
      expect(failures).toEqual([]);
      expect(await works(admin.token)).toBe(true);
    });
  });

  describe(`(b) as a plain user: an operation needing a permission answers 403 or 404 (marker: ${permissionMarker()})`, () => {
    let plain: Actor;
    /** What a plain member holds (`/auth/me`): reading, commenting, their own comments and profile. */
    let holds: Set<string>;
    beforeAll(async () => {
      plain = await signedIn();
      holds = new Set(
        (await call('GET', '/api/v1/auth/me', { token: plain.token })).json().data.permissions as string[],
      );
    });

    it.each(table(OPERATIONS.filter(isBearer)))('%s', async (_key, op) => {
      const { url, options } = await requestFor(op, plain, hintsFor(plain, { secrets: false }));
      const res = await call(op.method, url, { ...options, token: plain.token });
      // Signing out (one session or all) is the plain user's right: sign in again for the next operation.
      if (!(await works(plain.token))) plain = { ...plain, ...(await signIn(plain.username, plain.password)) };
      if (requiresPermission(op, OPERATIONS) && (op.permissions ?? []).some((p) => !holds.has(p))) {
        expect([403, 404]).toContain(res.statusCode);
        expect(res.json().error.code).toBe(res.statusCode === 403 ? ErrorCode.FORBIDDEN : ErrorCode.NOT_FOUND);
      } else {
        // Their own account's business: let through (the use case may still say no, never the guard).
        expect({ op: op.key, status: res.statusCode, turnedAway: [401, 403].includes(res.statusCode) }).toEqual({
          op: op.key,
          status: res.statusCode,
          turnedAway: false,
        });
        expect(res.statusCode).toBeLessThan(500);
      }
    });
  });

  describe("(c) object level: another user's sessions and tokens are out of reach", () => {
    // Public reads that identify a caller (posts) are not resources of the caller's own account.
    const owned = OPERATIONS.filter((op) => isBearer(op) && !op.optionalAuth && !requiresPermission(op, OPERATIONS));
    const byId = owned.filter((op) => op.parameters.some((p) => p.in === 'path'));

    /** One of `owner`'s own resources, and whether it still works. */
    const resourceOfOwner = async (
      op: SpecOperation,
      param: string,
      owner: Actor,
    ): Promise<{ id: string; alive: () => Promise<boolean> }> => {
      const kind = resourceOf(op, param);
      if (kind === 'session') {
        const session = await signIn(owner.username, owner.password);
        return { id: session.sessionId, alive: () => works(session.token) };
      }
      if (kind === 'token') {
        const pat = await patOf(owner);
        return { id: pat.id, alive: () => works(pat.token) };
      }
      if (kind === 'export') {
        const started = await call('POST', '/api/v1/me/exports', { token: owner.token });
        const id = started.json().data.id as string;
        const alive = async () =>
          (await call('GET', `/api/v1/me/exports/${id}`, { token: owner.token })).statusCode === 200;
        return { id, alive };
      }
      throw new Error(
        `${op.key}: {${param}} names ${kind ?? 'an unknown collection'}, not a resource of the caller's own account ` +
          `(${[...OWNED_RESOURCES].join(', ')}); give it an ownership fixture`,
      );
    };

    it('has at least the session and token routes to attack', () => {
      expect(byId.map((op) => op.key)).toEqual(
        expect.arrayContaining(['DELETE /api/v1/auth/sessions/{id}', 'DELETE /api/v1/me/tokens/{id}']),
      );
    });

    it.each(table(byId))("%s: someone else's id → 404 (or 403) and untouched; one's own → done", async (_key, op) => {
      const owner = await signedIn();
      const intruder = await signedIn();
      const param = op.parameters.find((p) => p.in === 'path')?.name as string;
      const theirs = await resourceOfOwner(op, param, owner);
      const hint = hintsFor(intruder, { secrets: false });
      const body = op.body?.media === 'application/json' ? sampleValue(op.body.schema, hint) : undefined;

      const attempt = await call(op.method, fillPath(op.path, { [param]: theirs.id }), {
        token: intruder.token,
        body,
      });
      expect([403, 404]).toContain(attempt.statusCode);
      expect(await theirs.alive()).toBe(true);

      // The same request on the owner's own row does reach it: the id was a real one.
      const own = await call(op.method, fillPath(op.path, { [param]: theirs.id }), {
        token: owner.token,
        body:
          op.body?.media === 'application/json'
            ? sampleValue(op.body.schema, hintsFor(owner, { secrets: false }))
            : undefined,
      });
      expect(own.statusCode).toBeLessThan(300);
    });

    it.each(table(owned.filter((op) => op.method === 'GET' && !op.parameters.some((p) => p.in === 'path'))))(
      "%s shows nothing of someone else's account",
      async (_key, op) => {
        const owner = await signedIn();
        const intruder = await signedIn();
        const pat = await patOf(owner);
        const secrets = [owner.id, owner.email, owner.username, owner.sessionId, pat.id];
        const res = await call('GET', op.path, { token: intruder.token });
        expect(res.statusCode).toBe(200);
        expect(secrets.filter((secret) => res.body.includes(secret))).toEqual([]);
      },
    );
  });

  describe('(d) mass assignment: extra fields in a body are refused (400 UNKNOWN_FIELD) and change nothing', () => {
    const withJsonBody = OPERATIONS.filter((op) => op.body?.media === 'application/json');

    /** Every row of every table a request could change, minus the columns reading alone touches. */
    const snapshot = async (): Promise<Record<string, string>> => {
      const columns = await db().query<Array<{ table_name: string; columns: string }>>(
        `SELECT table_name, string_agg(quote_ident(column_name), ', ' ORDER BY column_name) AS columns
           FROM information_schema.columns
          WHERE table_schema = 'public'
            AND table_name NOT IN ('typeorm_migrations', 'outbox_events', 'system_instance')
            AND column_name NOT IN ('last_used_at', 'updated_at')
          GROUP BY table_name`,
      );
      const tables: Record<string, string> = {};
      for (const { table_name: name, columns: list } of columns) {
        const [row] = await db().query<[{ digest: string; count: string }]>(
          `SELECT count(*) AS count, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest
             FROM (SELECT ${list} FROM ${name}) t`,
        );
        tables[name] = `${row.count} rows, ${row.digest}`;
      }
      return tables;
    };

    /** The caller: a fresh administrator (nothing is refused for want of a permission), or nobody on public routes. */
    const callerFor = async (op: SpecOperation): Promise<Actor | undefined> =>
      op.security.length > 0 ? asAdmin() : undefined;

    const optionsFor = (op: SpecOperation, caller: Actor | undefined): CallOptions => ({
      token: caller && isBearer(op) ? caller.token : undefined,
      cookies: caller && !isBearer(op) ? caller.cookies : undefined,
    });

    /** The extras not declared by the schema they are added to. */
    const extrasFor = (schema: Schema): Record<string, unknown> => {
      const declared = propertiesOf(schema);
      return Object.fromEntries(Object.entries(EXTRAS).filter(([name]) => !(name in declared)));
    };

    /** Where nested objects of the body take extras too: `preferences`, `permissions.0`, `roles.0`. */
    type Nested = { property: string; array: boolean; schema: Schema };
    const nestedObjects = (schema: Schema): Nested[] =>
      Object.entries(propertiesOf(schema)).flatMap(([property, propertySchema]): Nested[] => {
        const isObject = (s: Schema) => typesOf(s)?.includes('object') && s.additionalProperties !== true;
        if (isObject(propertySchema) && Object.keys(propertiesOf(propertySchema)).length > 0) {
          return [{ property, array: false, schema: propertySchema }];
        }
        const items = resolveSchema(propertySchema.items as Schema | undefined);
        if (
          typesOf(propertySchema)?.includes('array') &&
          isObject(items) &&
          Object.keys(propertiesOf(items)).length > 0
        ) {
          return [{ property, array: true, schema: items }];
        }
        return [];
      });

    const expectRefused = (res: InjectResponse, unknown: string[]): void => {
      if ([401, 403, 404].includes(res.statusCode)) return; // refused before the body was even read
      expect(res.statusCode).toBe(400);
      const error = res.json().error as { code: string; details?: Array<{ field: string; code: string }> };
      expect(error.code).toBe(ErrorCode.VALIDATION_ERROR);
      const details = error.details ?? [];
      const flagged = details.filter((d) => d.code === 'UNKNOWN_FIELD').map((d) => d.field);
      expect({ notFlaggedAsUnknown: unknown.filter((field) => !flagged.includes(field)), details }).toEqual({
        notFlaggedAsUnknown: [],
        details,
      });
    };

    it.each(table(withJsonBody))('%s: extra top-level fields', async (_key, op) => {
      const caller = await callerFor(op);
      const { url, options } = await requestFor(op, caller, hintsFor(caller, { secrets: true }));
      const schema = resolveSchema(op.body?.schema);
      const extras = extrasFor(schema);
      const before = await snapshot();
      const res = await call(op.method, url, {
        ...options,
        ...optionsFor(op, caller),
        body: { ...(options.body as object), ...extras },
      });
      expectRefused(res, Object.keys(extras));
      expect(await snapshot()).toEqual(before);
    });

    const nested = withJsonBody.filter((op) => nestedObjects(resolveSchema(op.body?.schema)).length > 0);
    it.each(table(nested))('%s: extra fields in nested objects', async (_key, op) => {
      const caller = await callerFor(op);
      const { url, options } = await requestFor(op, caller, hintsFor(caller, { secrets: true }));
      const body = { ...(options.body as Record<string, unknown>) };
      const unknown: string[] = [];
      for (const { property, array, schema } of nestedObjects(resolveSchema(op.body?.schema))) {
        const extras = extrasFor(schema);
        const inner = { ...(sampleValue(schema, hintsFor(caller, { secrets: true })) as object), ...extras };
        body[property] = array ? [inner] : inner;
        unknown.push(...Object.keys(extras).map((name) => `${property}${array ? '.0' : ''}.${name}`));
      }
      const before = await snapshot();
      const res = await call(op.method, url, { ...options, ...optionsFor(op, caller), body });
      expectRefused(res, unknown);
      expect(await snapshot()).toEqual(before);
    });

    it.each(table(withJsonBody))('%s: "__proto__" and "constructor" keys (as JSON text)', async (_key, op) => {
      const caller = await callerFor(op);
      const { url, options } = await requestFor(op, caller, hintsFor(caller, { secrets: true }));
      const valid = JSON.stringify(options.body).slice(1, -1);
      const before = await snapshot();
      for (const poison of ['"__proto__":{"isAdmin":true}', '"constructor":{"prototype":{"isAdmin":true}}']) {
        const res = await call(op.method, url, {
          ...optionsFor(op, caller),
          query: options.query,
          payload: `{${valid}${valid ? ',' : ''}${poison}}`,
          headers: { 'content-type': 'application/json' },
        });
        expect({ poison, status: res.statusCode }).toEqual({
          poison,
          status: [401, 403, 404].includes(res.statusCode) ? res.statusCode : 400,
        });
        expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
      }
      expect(await snapshot()).toEqual(before);
    });
  });
});
