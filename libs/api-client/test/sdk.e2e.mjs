// The SDK as an integrator gets it: packs @atrium/api-client the way `npm publish` would, installs
// the tarball into a scratch ESM project, type-checks and runs a TypeScript integration against the
// installed types, then drives a RUNNING API through the installed package:
//
//   BASE_URL=http://127.0.0.1:3000 DATA_DIR=/path/to/the/api/data node --test libs/api-client/test/sdk.e2e.mjs
//
// The API runs in embedded mode: its mail is written to DATA_DIR/outbox, where the test reads the
// link that confirms the new account's address (personal access tokens need a confirmed address).
// With ADMIN_LOGIN and ADMIN_PASSWORD (an admin of that API, e.g. the one ADMIN_EMAIL and
// ADMIN_PASSWORD created at its start) the paged users list is read too; without them those
// tests are skipped. Installing needs openapi-fetch from the npm cache or the registry.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const LIB = join(ROOT, 'libs/api-client');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const BASE_URL = (process.env.BASE_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
const DATA_DIR = process.env.DATA_DIR;
const ADMIN_LOGIN = process.env.ADMIN_LOGIN;
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD;
const MAIL_TIMEOUT_MS = 15_000;
const INSTALL_TIMEOUT_MS = 180_000;

const scratch = mkdtempSync(join(tmpdir(), 'atrium-sdk-'));
const suffix = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const account = {
  username: `sdk_${suffix}`,
  email: `sdk_${suffix}@example.com`,
  password: `Velvet harbour ${randomBytes(4).toString('hex')} hums beneath copper gulls`,
};

/** @type {import('@atrium/api-client')} the package as installed in the scratch project */
let sdk;
/** @type {{ filename: string; version: string; files: { path: string }[] }} */
let packed;
/** The new account's access token (password sign-in) and personal access token. */
let sessionToken;
let pat;

/** npm as run from the scratch project, without the workspace settings `npm run` passes down. */
function npm(args, options = {}) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) =>
        !/^npm_(config_(local_prefix|workspaces?|include_workspace_root|dry_run|json)|package_|lifecycle_)/i.test(key),
    ),
  );
  return run('npm', args, { env, maxBuffer: 64 * 1024 * 1024, ...options });
}

async function tsc(args) {
  try {
    return await run(process.execPath, [TSC, ...args], { cwd: scratch, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    assert.fail(`tsc ${args.join(' ')} failed:\n${error.stdout}${error.stderr}`);
  }
}

/** The confirmation token mailed to `email` (plain-text part, quoted-printable), waiting for the mail job. */
async function verificationToken(email) {
  assert.ok(DATA_DIR, 'DATA_DIR is not set: point it at the data directory of the API under test (its mail outbox)');
  const outbox = join(DATA_DIR, 'outbox');
  const deadline = Date.now() + MAIL_TIMEOUT_MS;
  for (;;) {
    const names = await readdir(outbox).catch((error) => (error.code === 'ENOENT' ? [] : Promise.reject(error)));
    for (const name of names.filter((n) => n.endsWith('.eml'))) {
      const mail = (await readFile(join(outbox, name), 'latin1')).replace(/=\r?\n/g, '').replace(/=3D/gi, '=');
      if (!new RegExp(`^To:.*${email.replace(/[.+]/g, '\\$&')}`, 'im').test(mail)) continue;
      const token = /\/verify-email\?token=([A-Za-z0-9_-]+)/.exec(mail)?.[1];
      if (token) return token;
    }
    if (Date.now() > deadline) assert.fail(`No verification mail to ${email} in ${outbox} after ${MAIL_TIMEOUT_MS} ms`);
    await sleep(200);
  }
}

/** Asserts that `promise` rejects with an `AtriumApiError` of `code` and `status`; returns the error. */
async function rejectsWith(promise, code, status) {
  const error = await promise.then(
    (value) => assert.fail(`expected ${code}, got a result: ${JSON.stringify(value)}`),
    (reason) => reason,
  );
  assert.ok(error instanceof sdk.AtriumApiError, `expected an AtriumApiError, got ${error}`);
  assert.equal(error.name, 'AtriumApiError');
  assert.equal(error.code, code, error.message);
  assert.equal(error.status, status);
  return error;
}

before(() => {
  writeFileSync(
    join(scratch, 'package.json'),
    `${JSON.stringify({ name: 'atrium-sdk-scratch', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`,
  );
});

after(() => {
  if (process.env.KEEP_SCRATCH) console.log(`scratch project kept in ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// The package as published
// ---------------------------------------------------------------------------------------------

test('npm pack: the tarball holds the ESM build, its types, the README and package.json, nothing else', async () => {
  // `prepack` builds dist/ first, as `npm publish` would.
  const { stdout } = await npm(['pack', '--json', '--pack-destination', scratch], { cwd: LIB });
  [packed] = JSON.parse(stdout);
  const files = packed.files.map((file) => file.path).sort();
  const unexpected = files.filter((path) => !/^(package\.json|README\.md|dist\/[\w-]+\.(js|d\.ts))$/.test(path));
  assert.deepEqual(unexpected, [], 'only dist/*.js, dist/*.d.ts, README.md and package.json are packed');
  for (const path of ['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts', 'dist/schema.d.ts']) {
    assert.ok(files.includes(path), `${path} is in the tarball`);
  }
  const manifest = JSON.parse(readFileSync(join(LIB, 'package.json'), 'utf8'));
  assert.equal(manifest.private, undefined, 'the package is not private');
  assert.equal(packed.version, JSON.parse(readFileSync(join(ROOT, 'apps/api/package.json'), 'utf8')).version);
});

test('installs from the tarball into a scratch ESM project', { timeout: INSTALL_TIMEOUT_MS }, async () => {
  assert.ok(packed, 'the package was packed');
  await npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', `./${packed.filename}`], {
    cwd: scratch,
    timeout: INSTALL_TIMEOUT_MS,
  });
  const require = createRequire(join(scratch, 'package.json'));
  const entry = require.resolve('@atrium/api-client');
  assert.equal(entry, join(scratch, 'node_modules/@atrium/api-client/dist/index.js'));
  sdk = await import(pathToFileURL(entry).href);
  for (const name of ['createAtrium', 'createAtriumClient', 'unwrap', 'unwrapWithMeta', 'AtriumApiError']) {
    assert.equal(typeof sdk[name], 'function', `${name} is exported`);
  }
  const installed = require('@atrium/api-client/package.json');
  assert.equal(installed.version, packed.version);
  assert.deepEqual(installed.engines, { node: '>=20' });
});

// An integration as a customer would write it, compiled against the installed types only: the
// `@ts-expect-error` lines prove the types are precise (not `any`), the rest that they fit.
const INTEGRATION = `import {
  AtriumApiError,
  createAtrium,
  createAtriumClient,
  unwrap,
  type Schema,
} from '@atrium/api-client';

const baseUrl = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const token = process.env.ATRIUM_TOKEN;
const atrium = createAtrium({ baseUrl, token });

const me = await atrium.get('/api/v1/auth/me');
const username: string = me.username;
// @ts-expect-error the id is a string
const wrongType: number = me.id;
void wrongType;
// @ts-expect-error the API has no such route
const unknownRoute = () => atrium.get('/api/v1/no-such-route');
// @ts-expect-error creating a token needs a body
const missingBody = () => atrium.post('/api/v1/me/tokens');
// @ts-expect-error a profile is read by username
const missingParam = () => atrium.get('/api/v1/profiles/{username}');
// @ts-expect-error the permission catalogue is not a paged list
const notPaged = () => atrium.list('/api/v1/permissions');
void [unknownRoute, missingBody, missingParam, notPaged];

const catalogue: Schema<'CatalogueEntryDto'>[] = await atrium.get('/api/v1/permissions');

async function firstUsers(): Promise<Schema<'AdminUserDto'>[]> {
  const page = await atrium.list('/api/v1/users', { params: { query: { perPage: 10, sort: 'username' } } });
  const total: number | undefined = page.meta.pagination?.totalItems;
  void total;
  return page.data;
}
let usersError: string | undefined;
try {
  await firstUsers();
} catch (error) {
  if (!(error instanceof AtriumApiError)) throw error;
  usersError = error.code;
}

let profileError: string | undefined;
try {
  await atrium.get('/api/v1/profiles/{username}', { params: { path: { username: 'nobody_' + Date.now() } } });
} catch (error) {
  if (!(error instanceof AtriumApiError)) throw error;
  const status: number | undefined = error.status;
  profileError = \`\${error.code} \${status}\`;
}

const raw = createAtriumClient({ baseUrl, token });
const { data, error, response } = await raw.GET('/api/v1/auth/me');
const rawUsername: string | undefined = data?.data.username;
const info = await unwrap(raw.GET('/api/v1/info'));

console.log(
  JSON.stringify({
    username,
    rawUsername,
    rawStatus: response.status,
    rawError: error ?? null,
    permissions: catalogue.length,
    usersError,
    profileError,
    version: info.version,
  }),
);
`;

test('the installed types check a TypeScript integration and refuse wrong calls', async () => {
  assert.ok(sdk, 'the package is installed');
  writeFileSync(join(scratch, 'integration.ts'), INTEGRATION);
  const compilerOptions = {
    target: 'ES2022',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    strict: true,
    // The package's own declaration files are checked too, not only their use.
    skipLibCheck: false,
    types: ['node'],
    typeRoots: [join(ROOT, 'node_modules/@types')],
    rootDir: '.',
    outDir: 'out',
  };
  writeFileSync(
    join(scratch, 'tsconfig.json'),
    `${JSON.stringify({ compilerOptions, files: ['integration.ts'] }, null, 2)}\n`,
  );
  // Node's resolution (emits out/integration.js, run below), then a bundler's (Vite, esbuild):
  // the same declaration files, checked once.
  await tsc(['-p', 'tsconfig.json']);
  const bundler = ['--module', 'esnext', '--moduleResolution', 'bundler', '--skipLibCheck'];
  await tsc(['-p', 'tsconfig.json', '--noEmit', ...bundler]);
});

// ---------------------------------------------------------------------------------------------
// The running API through the installed package
// ---------------------------------------------------------------------------------------------

test("the package's version is the running API's version", async () => {
  assert.ok(sdk, 'the package is installed');
  const info = await sdk.createAtrium({ baseUrl: BASE_URL }).get('/api/v1/info');
  assert.equal(info.version, packed.version);
});

test('signs up, confirms the address from the mail and signs in with the password', async () => {
  assert.ok(sdk, 'the package is installed');
  const atrium = sdk.createAtrium({ baseUrl: BASE_URL });
  const signUp = await atrium.post('/api/v1/auth/register', { body: account });
  assert.equal(typeof signUp.message, 'string');
  await atrium.post('/api/v1/auth/verify-email', { body: { token: await verificationToken(account.email) } });
  const session = await atrium.post('/api/v1/auth/login', {
    body: { login: account.username, password: account.password },
  });
  assert.equal(session.tokenType, 'Bearer');
  assert.equal(session.user.username, account.username);
  sessionToken = session.accessToken;
});

test('creates a personal access token with the session (POST /api/v1/me/tokens)', async () => {
  assert.ok(sessionToken, 'signed in');
  const atrium = sdk.createAtrium({ baseUrl: BASE_URL, token: sessionToken });
  const created = await atrium.post('/api/v1/me/tokens', {
    body: { name: 'SDK test', scopes: ['profile:read', 'profile:update'] },
  });
  assert.match(created.token, /^atr_pat_/);
  assert.deepEqual([...created.scopes].sort(), ['profile:read', 'profile:update']);
  pat = created.token;
  const tokens = await atrium.get('/api/v1/me/tokens');
  assert.ok(tokens.some((token) => token.id === created.id && token.token === undefined));
});

test('with the token: the signed-in user and the permission catalogue, the envelope opened', async () => {
  assert.ok(pat, 'a personal access token');
  const atrium = sdk.createAtrium({ baseUrl: BASE_URL, token: pat });
  const me = await atrium.get('/api/v1/auth/me');
  assert.equal(me.username, account.username);
  assert.equal(me.email, account.email);
  assert.equal(me.emailVerified, true);
  const catalogue = await atrium.get('/api/v1/permissions');
  assert.ok(Array.isArray(catalogue) && catalogue.length > 0);
  // A token provider is asked before every request.
  let asked = 0;
  const lazy = sdk.createAtrium({ baseUrl: BASE_URL, token: async () => (asked++, pat) });
  assert.equal((await lazy.get('/api/v1/auth/me')).id, me.id);
  assert.equal(asked, 1);
});

test('the compiled TypeScript integration runs against the API with the token', async () => {
  assert.ok(pat, 'a personal access token');
  const { stdout } = await run(process.execPath, [join(scratch, 'out/integration.js')], {
    cwd: scratch,
    env: { ...process.env, BASE_URL, ATRIUM_TOKEN: pat },
  });
  assert.deepEqual(JSON.parse(stdout.trim().split('\n').at(-1)), {
    username: account.username,
    rawUsername: account.username,
    rawStatus: 200,
    rawError: null,
    permissions: (await sdk.createAtrium({ baseUrl: BASE_URL, token: pat }).get('/api/v1/permissions')).length,
    usersError: 'FORBIDDEN',
    profileError: 'NOT_FOUND 404',
    version: packed.version,
  });
});

test('failures are AtriumApiError with code, status, details and the request id', async () => {
  assert.ok(pat, 'a personal access token');
  const atrium = sdk.createAtrium({ baseUrl: BASE_URL, token: pat });

  const unknownToken = sdk.createAtrium({ baseUrl: BASE_URL, token: `atr_pat_${randomBytes(16).toString('hex')}` });
  await rejectsWith(unknownToken.get('/api/v1/auth/me'), 'UNAUTHENTICATED', 401);

  // Beyond the token's scopes, and a token never manages tokens.
  await rejectsWith(atrium.get('/api/v1/users'), 'FORBIDDEN', 403);
  await rejectsWith(
    atrium.post('/api/v1/me/tokens', { body: { name: 'nested', scopes: ['profile:read'] } }),
    'FORBIDDEN',
    403,
  );

  const requestId = `sdk-e2e-${suffix}`;
  const missing = await rejectsWith(
    atrium.get('/api/v1/profiles/{username}', {
      params: { path: { username: `nobody_${suffix}` } },
      headers: { 'X-Request-ID': requestId },
    }),
    'NOT_FOUND',
    404,
  );
  assert.equal(missing.requestId, requestId);
  assert.deepEqual(missing.details, []);

  const invalid = await rejectsWith(
    atrium.patch('/api/v1/me', { body: { firstName: 'Ada', favouriteColour: 'teal' } }),
    'VALIDATION_ERROR',
    400,
  );
  assert.ok(
    invalid.details.some((detail) => detail.field === 'favouriteColour' && detail.code === 'UNKNOWN_FIELD'),
    JSON.stringify(invalid.details),
  );
  assert.match(invalid.requestId ?? '', /\S/);

  const down = sdk.createAtrium({ baseUrl: 'http://127.0.0.1:1' });
  const network = await rejectsWith(down.get('/api/v1/info'), sdk.NETWORK_ERROR, undefined);
  assert.ok(network.cause, 'the failed fetch is the cause');
});

test('the raw client answers { data, error, response }; unwrap opens it', async () => {
  assert.ok(pat, 'a personal access token');
  const raw = sdk.createAtriumClient({ baseUrl: BASE_URL, token: pat });
  const ok = await raw.GET('/api/v1/auth/me');
  assert.equal(ok.response.status, 200);
  assert.equal(ok.data.status, 'success');
  assert.equal(ok.data.data.username, account.username);
  const forbidden = await raw.GET('/api/v1/users');
  assert.equal(forbidden.response.status, 403);
  assert.equal(forbidden.error.error.code, 'FORBIDDEN');
  assert.ok(sdk.isApiErrorResponse(forbidden.error));

  assert.equal((await sdk.unwrap(raw.GET('/api/v1/auth/me'))).username, account.username);
  const { data, meta } = await sdk.unwrapWithMeta(raw.GET('/api/v1/info'));
  assert.equal(data.version, packed.version);
  assert.match(meta.requestId, /\S/);
  await rejectsWith(sdk.unwrap(raw.GET('/api/v1/users')), 'FORBIDDEN', 403);
});

// ---------------------------------------------------------------------------------------------
// Paged lists (an admin's token with users:read)
// ---------------------------------------------------------------------------------------------

const adminOnly = ADMIN_LOGIN && ADMIN_PASSWORD ? {} : { skip: 'ADMIN_LOGIN and ADMIN_PASSWORD are not set' };
/** @type {ReturnType<typeof import('@atrium/api-client').createAtrium>} */
let admin;

test('an admin signs in and makes a token with users:read', adminOnly, async () => {
  assert.ok(sdk, 'the package is installed');
  const session = await sdk
    .createAtrium({ baseUrl: BASE_URL })
    .post('/api/v1/auth/login', { body: { login: ADMIN_LOGIN, password: ADMIN_PASSWORD } });
  const created = await sdk
    .createAtrium({ baseUrl: BASE_URL, token: session.accessToken })
    .post('/api/v1/me/tokens', { body: { name: `SDK test ${suffix}`, scopes: ['users:read'] } });
  admin = sdk.createAtrium({ baseUrl: BASE_URL, token: created.token });
});

test('lists users a page at a time (page/perPage → meta.pagination)', adminOnly, async () => {
  assert.ok(admin, "an admin's token");
  const first = await admin.list('/api/v1/users', { params: { query: { perPage: 1, sort: 'username' } } });
  assert.equal(first.data.length, 1);
  const { pagination } = first.meta;
  assert.ok(pagination, 'meta.pagination');
  assert.equal(pagination.page, 1);
  assert.equal(pagination.perPage, 1);
  assert.ok(pagination.totalItems >= 2, 'the admin and the new account');
  assert.equal(pagination.hasNext, true);
  assert.equal(first.meta.cursor, undefined);
  const second = await admin.list('/api/v1/users', { params: { query: { page: 2, perPage: 1, sort: 'username' } } });
  assert.equal(second.meta.pagination?.hasPrev, true);
  assert.notEqual(second.data[0].id, first.data[0].id);
});

test('walks every user, keyset (cursor/limit → meta.cursor) and by page, with paginate()', adminOnly, async () => {
  assert.ok(admin, "an admin's token");
  const keyset = await admin.list('/api/v1/users', { params: { query: { limit: 1 } } });
  assert.equal(keyset.meta.pagination, undefined);
  assert.equal(keyset.meta.cursor?.hasNext, true);
  assert.match(keyset.meta.cursor?.next ?? '', /^[A-Za-z0-9_-]+$/);

  const total = (await admin.list('/api/v1/users', { params: { query: { perPage: 1 } } })).meta.pagination?.totalItems;
  const byCursor = [];
  for await (const user of admin.paginate('/api/v1/users', { params: { query: { limit: 2 } } })) byCursor.push(user);
  const byPage = [];
  for await (const user of admin.paginate('/api/v1/users', { params: { query: { perPage: 2 } } })) byPage.push(user);
  for (const walked of [byCursor, byPage]) {
    assert.equal(walked.length, total);
    assert.equal(new Set(walked.map((user) => user.id)).size, total, 'no user twice');
    assert.ok(walked.some((user) => user.username === account.username));
  }
});
