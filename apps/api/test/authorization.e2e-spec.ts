import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ErrorCode, type Permission, SystemRole } from '@atrium/contracts';
import type { AtriumApp } from '../src/bootstrap';
import { type Actor, actors } from './support/actors';
import type { HttpMethod, InjectResponse } from './support/api';
import { newRole } from './support/factories';
import { COMMITTED_SPEC } from './support/openapi-contract';
import { startTestApp, TestResources } from './support/test-app';

const ADMIN = { email: 'root@example.com', password: 'granite harbour lantern 19' };

type Requirement = 'public' | 'signed-in' | Permission;

/**
 * Who may call what: every operation of the OpenAPI spec must be listed here, so a route added
 * without a rule fails this test. `signed-in` routes act only on the caller's own account.
 */
const RULES: Record<string, Requirement> = {
  'GET /health': 'public',
  'GET /readiness': 'public',
  'GET /metrics': 'public',
  'GET /api/v1/info': 'public',
  'POST /api/v1/auth/register': 'public',
  'POST /api/v1/auth/login': 'public',
  'POST /api/v1/auth/refresh': 'public',
  'POST /api/v1/auth/verify-email': 'public',
  'POST /api/v1/auth/forgot-password': 'public',
  'POST /api/v1/auth/reset-password': 'public',
  'POST /api/v1/auth/confirm-email-change': 'public',
  'GET /api/v1/profiles/{username}': 'public',
  'GET /api/v1/avatars/{key}': 'public',
  // First-run setup: public while no admin exists, then 409 (an admin exists in this file).
  'GET /api/v1/setup': 'public',
  'POST /api/v1/setup': 'public',
  'POST /api/v1/auth/logout': 'signed-in',
  'POST /api/v1/auth/logout-all': 'signed-in',
  'GET /api/v1/auth/sessions': 'signed-in',
  'DELETE /api/v1/auth/sessions/{id}': 'signed-in',
  'POST /api/v1/auth/resend-verification': 'signed-in',
  'POST /api/v1/auth/change-password': 'signed-in',
  'POST /api/v1/auth/2fa/setup': 'signed-in',
  'POST /api/v1/auth/2fa/enable': 'signed-in',
  'POST /api/v1/auth/2fa/disable': 'signed-in',
  'GET /api/v1/auth/me': 'signed-in',
  'PATCH /api/v1/me': 'signed-in',
  'DELETE /api/v1/me': 'signed-in',
  'POST /api/v1/me/email': 'signed-in',
  'PUT /api/v1/me/username': 'signed-in',
  'GET /api/v1/me/tokens': 'signed-in',
  'POST /api/v1/me/tokens': 'signed-in',
  'DELETE /api/v1/me/tokens/{id}': 'signed-in',
  'POST /api/v1/me/exports': 'signed-in',
  'GET /api/v1/me/exports': 'signed-in',
  'GET /api/v1/me/exports/{id}': 'signed-in',
  // The signed link is the permission.
  'GET /api/v1/exports/{id}/download': 'public',
  'PUT /api/v1/me/avatar': 'signed-in',
  'DELETE /api/v1/me/avatar': 'signed-in',
  'GET /api/v1/permissions': 'signed-in',
  'GET /api/v1/roles': 'roles:read',
  'POST /api/v1/roles': 'roles:create',
  'GET /api/v1/roles/{id}': 'roles:read',
  'PATCH /api/v1/roles/{id}': 'roles:update',
  'DELETE /api/v1/roles/{id}': 'roles:delete',
  'PUT /api/v1/roles/{id}/permissions': 'roles:update',
  'GET /api/v1/users': 'users:read',
  'POST /api/v1/users': 'users:create',
  'GET /api/v1/users/{id}': 'users:read',
  'PATCH /api/v1/users/{id}': 'users:update',
  'DELETE /api/v1/users/{id}': 'users:delete',
  'POST /api/v1/users/{id}/restore': 'users:delete',
  'PUT /api/v1/users/{id}/roles': 'users:assign-roles',
  'GET /api/v1/audit-events': 'audit:read',
  'GET /api/v1/admin/queues': 'queues:read',
  'GET /api/v1/admin/queues/{name}/jobs': 'queues:read',
  'POST /api/v1/admin/queues/{name}/jobs/{id}/retry': 'queues:manage',
  'DELETE /api/v1/admin/queues/{name}/jobs/{id}': 'queues:manage',
  'GET /api/v1/admin/stats': 'stats:read',
  // Public, and a caller who sends a token is identified (members-only posts, their own drafts).
  'GET /api/v1/posts': 'public',
  'GET /api/v1/posts/{id}': 'public',
  'POST /api/v1/posts': 'posts:create',
  'POST /api/v1/posts/preview': 'posts:create',
  'PATCH /api/v1/posts/{id}': 'posts:update',
  'DELETE /api/v1/posts/{id}': 'posts:delete',
  'POST /api/v1/posts/{id}/publish': 'posts:publish',
  'POST /api/v1/posts/{id}/schedule': 'posts:publish',
  'GET /api/v1/posts/{id}/accessibility': 'posts:update',
  'GET /api/v1/posts/{id}/revisions': 'posts:update',
  'GET /api/v1/posts/{id}/revisions/{revisionId}': 'posts:update',
  'POST /api/v1/posts/{id}/revisions/{revisionId}/restore': 'posts:update',
  'POST /api/v1/posts/{id}/unpublish': 'posts:publish',
  'POST /api/v1/posts/{id}/archive': 'posts:publish',
  'GET /api/v1/me/posts': 'signed-in',
  'GET /api/v1/categories': 'public',
  'POST /api/v1/categories': 'categories:create',
  'PATCH /api/v1/categories/{id}': 'categories:update',
  'DELETE /api/v1/categories/{id}': 'categories:delete',
  'GET /api/v1/tags': 'public',
  'POST /api/v1/tags': 'tags:create',
  'GET /api/v1/tags/{id}': 'public',
  'PATCH /api/v1/tags/{id}': 'tags:update',
  'POST /api/v1/tags/{id}/merge': 'tags:delete',
  'DELETE /api/v1/tags/{id}': 'tags:delete',
  // Readable where the post is; writing needs the permissions (own comments: the row decides).
  'GET /api/v1/posts/{id}/comments': 'public',
  'POST /api/v1/posts/{id}/comments': 'comments:create',
  'PATCH /api/v1/comments/{id}': 'comments:update',
  'DELETE /api/v1/comments/{id}': 'comments:delete',
  'GET /api/v1/comments': 'comments:moderate',
  'POST /api/v1/comments/moderate': 'comments:moderate',
  'POST /api/v1/comments/{id}/approve': 'comments:moderate',
  'POST /api/v1/comments/{id}/reject': 'comments:moderate',
  // The media library: for those who write posts (own images; editors any, the row decides).
  'POST /api/v1/media': 'posts:create',
  'GET /api/v1/media': 'posts:create',
  'GET /api/v1/media/{id}': 'posts:create',
  'PATCH /api/v1/media/{id}': 'posts:create',
  'DELETE /api/v1/media/{id}': 'posts:create',
  'GET /api/v1/media/files/{key}': 'public',
  'GET /feed.xml': 'public',
  'GET /feed.json': 'public',
  'GET /sitemap.xml': 'public',
};

/** What each system role holds, as the issue defines them (admin: everything). */
// Comments: update and delete their own only (conditions on the grant; the row decides).
const CONTENT: Permission[] = ['posts:read', 'comments:read', 'comments:create', 'comments:update', 'comments:delete'];
const HOLDS: Record<SystemRole, (p: Permission) => boolean> = {
  admin: () => true,
  editor: (p) => /^(posts|comments|categories|tags|profile):/.test(p),
  // Their own posts only (conditions on the grant): the guard lets them through, the row decides.
  author: (p) => CONTENT.includes(p) || /^(posts:(create|update|delete|publish)|profile:)/.test(p),
  user: (p) => CONTENT.includes(p) || p.startsWith('profile:'),
};

/** Routes whose success ends the caller's session: they get a fresh sign-in each time. */
const ENDS_SESSION = new Set(['POST /api/v1/auth/logout', 'POST /api/v1/auth/logout-all']);

/** The authentication guard's refusal (not a route's own 401, such as a missing refresh token). */
const turnedAway = (res: InjectResponse): boolean =>
  res.statusCode === 401 && res.json<{ error?: { message?: string } }>().error?.message === 'Authentication required';

const operations = (): string[] =>
  Object.entries(COMMITTED_SPEC.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
  );

/**
 * Routes that act on one row with an owner, tried on the caller's own row and on someone else's.
 * Every signed-in operation with a path parameter must have rows here. Someone else's row is not
 * found (404) rather than forbidden, so ids cannot be probed; a permission check stays a 403.
 */
const OWN_AND_OTHERS: Array<{ operation: string; caller: string; own: number; others: number }> = [
  { operation: 'DELETE /api/v1/auth/sessions/{id}', caller: 'the owner', own: 200, others: 404 },
  { operation: 'DELETE /api/v1/me/tokens/{id}', caller: 'the owner', own: 200, others: 404 },
  { operation: 'GET /api/v1/me/exports/{id}', caller: 'the owner', own: 200, others: 404 },
  { operation: 'GET /api/v1/users/{id}', caller: 'a user without users:read', own: 403, others: 403 },
  { operation: 'GET /api/v1/users/{id}', caller: 'an admin (users:read)', own: 200, others: 200 },
];

describe('authorization', () => {
  const resources = new TestResources();
  let atrium: AtriumApp;
  const { call, register, signIn, signedIn, asRole } = actors(() => atrium);

  const roleId = async (name: string): Promise<string> => {
    const [role] = await atrium.app
      .get(DataSource)
      .query<[{ id: string }]>(`SELECT id FROM roles WHERE name = $1`, [name]);
    return role.id;
  };

  let adminToken: string;

  beforeAll(async () => {
    await resources.create();
    // The first admin comes from ADMIN_EMAIL/ADMIN_PASSWORD at start-up.
    atrium = await startTestApp(resources, {
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_USERNAME: 'root',
      ADMIN_PASSWORD: ADMIN.password,
      AUTH_THROTTLE_LIMIT: '100000',
      THROTTLE_LIMIT: '100000',
    });
    adminToken = (await signIn('root', ADMIN.password)).token;
  });

  afterAll(async () => {
    await atrium?.close();
    await resources.drop();
  });

  it('the first admin was created once from ADMIN_EMAIL, holds admin, and the bootstrap is audited', async () => {
    const me = await call('GET', '/api/v1/auth/me', { token: adminToken });
    expect(me.json().data.roles).toEqual([SystemRole.ADMIN, SystemRole.USER]);
    const audited = await call('GET', '/api/v1/audit-events', {
      token: adminToken,
      query: { action: 'admin.bootstrapped' },
    });
    expect(audited.json().data).toHaveLength(1);
  });

  it('has a rule for every operation in the OpenAPI spec, and none for operations that do not exist', () => {
    const documented = operations();
    expect(documented.filter((op) => !(op in RULES))).toEqual([]);
    expect(Object.keys(RULES).filter((op) => !documented.includes(op))).toEqual([]);
  });

  it("has own and someone else's rows for every signed-in operation on a row of the caller's", () => {
    const owned = Object.keys(RULES).filter((op) => RULES[op] === 'signed-in' && op.includes('{'));
    const covered = new Set(OWN_AND_OTHERS.map((row) => row.operation));
    expect(owned.filter((op) => !covered.has(op))).toEqual([]);
    expect([...covered].filter((op) => !(op in RULES))).toEqual([]);
  });

  it('enforces the role matrix on every route for anonymous callers and each system role', async () => {
    const callers: Partial<Record<SystemRole, { login: string; password: string; token: string }>> = {
      admin: { login: 'root', password: ADMIN.password, token: adminToken },
    };
    for (const role of [SystemRole.EDITOR, SystemRole.AUTHOR]) {
      const actor = await asRole(role, { username: `matrix-${role}` });
      callers[role] = { login: actor.username, password: actor.password, token: actor.token };
    }
    const user = await signedIn({ username: 'matrix-user' });
    callers.user = { login: user.username, password: user.password, token: user.token };

    const failures: string[] = [];
    for (const operation of operations()) {
      const [method, path] = operation.split(' ') as [HttpMethod, string];
      const url = path
        .replace('{id}', randomUUID())
        .replace('{name}', 'mail')
        .replace('{username}', 'nobody-here')
        .replace('{key}', 'missing');
      const body = method === 'GET' ? undefined : {};
      const rule = RULES[operation];

      const anonymous = await call(method, url, { body });
      const anonymousAllowed = rule === 'public';
      if (!anonymousAllowed && !turnedAway(anonymous)) {
        failures.push(`${operation} anonymous → ${anonymous.statusCode}, want 401`);
      }
      if (anonymousAllowed && turnedAway(anonymous)) failures.push(`${operation} anonymous → 401, want it public`);
      if (anonymousAllowed && anonymous.statusCode >= 500) {
        failures.push(`${operation} anonymous → ${anonymous.statusCode} ${anonymous.body.slice(0, 80)}, want < 500`);
      }

      for (const role of Object.values(SystemRole)) {
        const caller = callers[role] as { login: string; password: string; token: string };
        const allowed = rule === 'public' || rule === 'signed-in' || HOLDS[role](rule);
        const token = ENDS_SESSION.has(operation) ? (await signIn(caller.login, caller.password)).token : caller.token;
        const res = await call(method, url, { token, body });
        // Signing out everywhere also ended the caller's main session: sign in again for the rest.
        if (ENDS_SESSION.has(operation)) caller.token = (await signIn(caller.login, caller.password)).token;
        const denied = turnedAway(res) || res.statusCode === 403;
        if (allowed && denied)
          failures.push(`${operation} as ${role} → ${res.statusCode} ${res.body.slice(0, 80)}, want allowed`);
        // Allowed means served: an error of the server's own is not a pass.
        if (allowed && res.statusCode >= 500)
          failures.push(`${operation} as ${role} → ${res.statusCode} ${res.body.slice(0, 80)}, want < 500`);
        if (!allowed && res.statusCode !== 403) failures.push(`${operation} as ${role} → ${res.statusCode}, want 403`);
        if (!allowed && res.statusCode === 403) expect(res.json().error.code).toBe(ErrorCode.FORBIDDEN);
      }
    }
    // logout-all ended the admin's first session too.
    adminToken = (callers.admin as { token: string }).token;
    expect(failures).toEqual([]);
  });

  describe("own and someone else's rows", () => {
    let alice: Actor;
    let bob: Actor;
    let admin: Actor;
    /** A personal access token of `owner`'s: its id and its value. */
    const patOf = async (owner: Actor): Promise<{ id: string; token: string }> => {
      const res = await call('POST', '/api/v1/me/tokens', {
        token: owner.token,
        body: { name: 'script', scopes: ['profile:read'] },
      });
      expect(res.statusCode).toBe(201);
      return res.json().data as { id: string; token: string };
    };
    const worksAs = async (token: string): Promise<number> =>
      (await call('GET', '/api/v1/auth/me', { token })).statusCode;

    beforeAll(async () => {
      alice = await signedIn();
      bob = await signedIn();
      admin = await asRole(SystemRole.ADMIN);
    });

    it.each(OWN_AND_OTHERS)('$operation by $caller: own → $own, someone else’s → $others', async (row) => {
      const [method, path] = row.operation.split(' ') as [HttpMethod, string];
      const at = (id: string): string => path.replace('{id}', id);
      let caller: Actor;
      let own: string;
      let others: string;
      /** After the attempt on someone else's row: it is untouched. */
      let untouched = (): Promise<void> => Promise.resolve();
      /** After the call on the caller's own row: the effect happened. */
      let done = (): Promise<void> => Promise.resolve();

      switch (row.operation) {
        case 'DELETE /api/v1/auth/sessions/{id}': {
          caller = alice;
          const elsewhere = await signIn(alice.username, alice.password); // alice on another device
          own = elsewhere.sessionId;
          others = bob.sessionId;
          untouched = async () => expect(await worksAs(bob.token)).toBe(200);
          done = async () => expect(await worksAs(elsewhere.token)).toBe(401);
          break;
        }
        case 'DELETE /api/v1/me/tokens/{id}': {
          caller = alice;
          const [mine, theirs] = [await patOf(alice), await patOf(bob)];
          own = mine.id;
          others = theirs.id;
          untouched = async () => expect(await worksAs(theirs.token)).toBe(200);
          done = async () => expect(await worksAs(mine.token)).toBe(401);
          break;
        }
        case 'GET /api/v1/me/exports/{id}': {
          caller = alice;
          own = (await call('POST', '/api/v1/me/exports', { token: alice.token })).json().data.id as string;
          others = (await call('POST', '/api/v1/me/exports', { token: bob.token })).json().data.id as string;
          done = async () => {
            const read = await call('GET', at(own), { token: alice.token });
            expect(read.json().data).toMatchObject({ id: own, status: 'queued' });
          };
          break;
        }
        case 'GET /api/v1/users/{id}': {
          caller = row.own === 200 ? admin : alice;
          own = caller.id;
          others = bob.id;
          if (row.others === 200) {
            untouched = async () => {
              const read = await call('GET', at(bob.id), { token: caller.token });
              expect(read.json().data).toMatchObject({ id: bob.id, username: bob.username, email: bob.email });
            };
          }
          break;
        }
        default:
          throw new Error(`no fixture for ${row.operation}`);
      }

      const onOthers = await call(method, at(others), { token: caller.token });
      expect({ row: 'others', status: onOthers.statusCode }).toEqual({ row: 'others', status: row.others });
      if (row.others === 404) expect(onOthers.json().error.code).toBe(ErrorCode.NOT_FOUND);
      if (row.others === 403) expect(onOthers.json().error.code).toBe(ErrorCode.FORBIDDEN);
      await untouched();

      const onOwn = await call(method, at(own), { token: caller.token });
      expect({ row: 'own', status: onOwn.statusCode }).toEqual({ row: 'own', status: row.own });
      if (row.own === 403) expect(onOwn.json().error.code).toBe(ErrorCode.FORBIDDEN);
      if (row.own < 300) await done();
    });
  });

  describe('privilege escalation', () => {
    let managerId: string;
    let manager: string;
    let victimId: string;

    beforeAll(async () => {
      // A manager may read and assign roles and create roles, at level 60.
      const created = await call('POST', '/api/v1/roles', {
        token: adminToken,
        body: newRole(['roles:read', 'roles:create', 'roles:update', 'users:read', 'users:assign-roles'], {
          name: 'manager',
          level: 60,
        }),
      });
      expect(created.statusCode).toBe(201);
      managerId = (await register({ username: 'manager-1' }, { verified: true })).id;
      victimId = (await register({ username: 'victim-1' }, { verified: true })).id;
      await call('PUT', `/api/v1/users/${managerId}/roles`, {
        token: adminToken,
        body: { roles: [{ roleId: created.json().data.id }, { roleId: await roleId('user') }] },
      });
      manager = (await signIn('manager-1')).token;
    });

    it('cannot grant itself admin, or change its own roles at all', async () => {
      const self = await call('PUT', `/api/v1/users/${managerId}/roles`, {
        token: manager,
        body: { roles: [{ roleId: await roleId('admin') }] },
      });
      expect(self.statusCode).toBe(403);
      const keep = await call('PUT', `/api/v1/users/${managerId}/roles`, {
        token: manager,
        body: { roles: [{ roleId: await roleId('user') }] },
      });
      expect(keep.statusCode).toBe(403);
    });

    it('cannot give anyone a role at or above its own level', async () => {
      for (const role of ['admin']) {
        const res = await call('PUT', `/api/v1/users/${victimId}/roles`, {
          token: manager,
          body: { roles: [{ roleId: await roleId(role) }] },
        });
        expect(res.statusCode).toBe(403);
      }
      const editor = await call('PUT', `/api/v1/users/${victimId}/roles`, {
        token: manager,
        body: { roles: [{ roleId: await roleId('editor') }] },
      });
      expect(editor.statusCode).toBe(200);
    });

    it('cannot create a role at or above its own level, or grant a permission it does not hold', async () => {
      const high = await call('POST', '/api/v1/roles', { token: manager, body: { name: 'overlord', level: 60 } });
      expect(high.statusCode).toBe(403);
      const unheld = await call('POST', '/api/v1/roles', {
        token: manager,
        body: { name: 'snoop', level: 30, permissions: [{ permission: 'audit:read' }] },
      });
      expect(unheld.statusCode).toBe(403);
      const fine = await call('POST', '/api/v1/roles', {
        token: manager,
        body: { name: 'helper', level: 30, permissions: [{ permission: 'users:read' }] },
      });
      expect(fine.statusCode).toBe(201);
    });

    it('cannot edit a system role, or its own role', async () => {
      const systemRole = await call('PUT', `/api/v1/roles/${await roleId('user')}/permissions`, {
        token: manager,
        body: { permissions: [] },
      });
      expect(systemRole.statusCode).toBe(403);
      const ownRole = await call('PATCH', `/api/v1/roles/${await roleId('manager')}`, {
        token: manager,
        body: { level: 10 },
      });
      expect(ownRole.statusCode).toBe(403);
    });

    it('a plain user cannot read other users (no IDOR on /users/:id)', async () => {
      const user = (await signIn('victim-1')).token;
      const res = await call('GET', `/api/v1/users/${managerId}`, { token: user });
      expect(res.statusCode).toBe(403);
    });
  });

  it('a role change and a permission change take effect on the next request', async () => {
    const { id, token } = await signedIn({ username: 'auditor-1' });
    expect((await call('GET', '/api/v1/audit-events', { token })).statusCode).toBe(403);

    const role = await call('POST', '/api/v1/roles', {
      token: adminToken,
      body: newRole(['audit:read'], { name: 'auditor', level: 15 }),
    });
    const auditorRoleId = role.json().data.id as string;
    await call('PUT', `/api/v1/users/${id}/roles`, { token: adminToken, body: { roles: [{ roleId: auditorRoleId }] } });
    expect((await call('GET', '/api/v1/audit-events', { token })).statusCode).toBe(200);

    await call('PUT', `/api/v1/roles/${auditorRoleId}/permissions`, { token: adminToken, body: { permissions: [] } });
    expect((await call('GET', '/api/v1/audit-events', { token })).statusCode).toBe(403);
  });

  it('an admin creates "moderator", assigns it with an expiry, sees both in the audit log, and the user loses it when it expires', async () => {
    const created = await call('POST', '/api/v1/roles', {
      token: adminToken,
      body: newRole(['comments:read', 'comments:moderate'], {
        name: 'moderator',
        description: 'Comment moderation only',
        level: 30,
      }),
    });
    expect(created.statusCode).toBe(201);
    const moderatorRoleId = created.json().data.id as string;
    const userId = (await register({ username: 'mod-1' }, { verified: true })).id;
    // Long enough for the checks below on a slow machine, short enough to wait for.
    const expiresAt = new Date(Date.now() + 4000).toISOString();
    const assigned = await call('PUT', `/api/v1/users/${userId}/roles`, {
      token: adminToken,
      body: { roles: [{ roleId: await roleId('user') }, { roleId: moderatorRoleId, expiresAt }] },
    });
    expect(assigned.statusCode).toBe(200);
    expect(assigned.json().data.roles).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'moderator', expiresAt })]),
    );

    const { token } = await signIn('mod-1');
    const before = await call('GET', '/api/v1/auth/me', { token });
    expect(before.json().data.roles).toContain('moderator');
    expect(before.json().data.permissions).toContain('comments:moderate');

    const log = await call('GET', '/api/v1/audit-events', {
      token: adminToken,
      query: { target: `user:${userId}`, action: 'user.roles_changed' },
    });
    expect(log.json().data[0].metadata.after).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'moderator', expiresAt })]),
    );
    const roleLog = await call('GET', '/api/v1/audit-events', {
      token: adminToken,
      query: { target: `role:${moderatorRoleId}` },
    });
    expect(roleLog.json().data.map((e: { action: string }) => e.action)).toContain('role.created');

    await new Promise((resolve) => setTimeout(resolve, Date.parse(expiresAt) - Date.now() + 200));
    const after = await call('GET', '/api/v1/auth/me', { token });
    expect(after.json().data.roles).not.toContain('moderator');
    expect(after.json().data.permissions).not.toContain('comments:moderate');
  });

  it("a personal access token narrows the owner's ability to its scopes, and cannot hold what the owner lacks", async () => {
    const created = await call('POST', '/api/v1/me/tokens', {
      token: adminToken,
      body: { name: 'reporting', scopes: ['users:read'] },
    });
    expect(created.statusCode).toBe(201);
    const pat = created.json().data.token as string;
    expect((await call('GET', '/api/v1/users', { token: pat })).statusCode).toBe(200);
    expect((await call('GET', '/api/v1/audit-events', { token: pat })).statusCode).toBe(403);
    expect((await call('GET', '/api/v1/roles', { token: pat })).statusCode).toBe(403);

    const plain = await signedIn({ username: 'scoped-1' });
    const unheld = await call('POST', '/api/v1/me/tokens', {
      token: plain.token,
      body: { name: 'sneaky', scopes: ['users:read'] },
    });
    expect(unheld.statusCode).toBe(403);
  });

  it('deactivating a user signs them out everywhere at once', async () => {
    const { id, token } = await signedIn({ username: 'leaving-1' });
    const res = await call('PATCH', `/api/v1/users/${id}`, { token: adminToken, body: { isActive: false } });
    expect(res.statusCode).toBe(200);
    expect(res.json().data.status).toBe('inactive');
    expect((await call('GET', '/api/v1/auth/me', { token })).statusCode).toBe(401);
  });

  it('lists users with search, role filter and pagination', async () => {
    const res = await call('GET', '/api/v1/users', {
      token: adminToken,
      query: { search: 'matrix', perPage: 2, sort: 'username' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().data.map((u: { username: string }) => u.username)).toEqual(['matrix-author', 'matrix-editor']);
    expect(res.json().meta.pagination).toEqual({
      page: 1,
      perPage: 2,
      totalItems: 3,
      totalPages: 2,
      hasNext: true,
      hasPrev: false,
    });
    const editors = await call('GET', '/api/v1/users', { token: adminToken, query: { role: 'editor' } });
    expect(editors.json().data.map((u: { username: string }) => u.username)).toContain('matrix-editor');
  });

  it('public profiles show no email address', async () => {
    const res = await call('GET', '/api/v1/profiles/matrix-user');
    expect(res.statusCode).toBe(200);
    expect(res.json().data.username).toBe('matrix-user');
    expect(JSON.stringify(res.json())).not.toContain('@example.com');
  });
});
