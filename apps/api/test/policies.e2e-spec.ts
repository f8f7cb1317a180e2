import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { AtriumApp } from '../src/bootstrap';
import { FirstAdminService } from '../src/modules/authorization/first-admin';
import { startTestApp, TestResources } from './support/test-app';

const PASSWORD = 'copper meadow violin 58';

/**
 * Ownership policies: a grant limited by a condition is never a full one. A role holding
 * `users:read` only for `{"id": "${user.id}"}` lists and reads its holder's own record and no
 * other — in lists (the rules become SQL) and by id (404: nothing tells the other exists).
 */
describe('ownership policies', () => {
  const resources = new TestResources();
  let atrium: AtriumApp;

  const call = async (method: 'GET' | 'POST', url: string, token?: string, payload?: object) => {
    const res = await atrium.app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method,
        url,
        payload,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    return { status: res.statusCode, body: res.json() };
  };

  const signUp = async (name: string): Promise<{ id: string; token: string }> => {
    const registered = await call('POST', '/api/v1/auth/register', undefined, {
      email: `${name}@example.com`,
      username: name,
      password: PASSWORD,
    });
    expect(registered.status).toBe(201);
    const login = await call('POST', '/api/v1/auth/login', undefined, { login: name, password: PASSWORD });
    return { id: registered.body.data.id, token: login.body.data.accessToken };
  };

  const sql = async (text: string, values: unknown[] = []) => {
    const client = new Client({ connectionString: resources.databaseUrl });
    await client.connect();
    try {
      return await client.query(text, values);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    await resources.create();
    atrium = await startTestApp(resources);
  });

  afterAll(async () => {
    await atrium?.close();
    await resources.drop();
  });

  it('a self-only users:read role sees only its own record, in lists and by id', async () => {
    const others = await Promise.all(['ada', 'grace', 'linus'].map(signUp));
    const self = await signUp('margaret');
    // A custom role whose only grant is reading one's own user record.
    const roleId = randomUUID();
    await sql(`INSERT INTO roles (id, name, description, level, is_system) VALUES ($1, 'self-reader', '', 5, false)`, [
      roleId,
    ]);
    await sql(
      `INSERT INTO permissions (id, role_id, resource, action, conditions) VALUES ($1, $2, 'users', 'read', $3)`,
      [randomUUID(), roleId, JSON.stringify({ id: '${user.id}' })],
    );
    await sql(`INSERT INTO user_roles (id, user_id, role_id) VALUES ($1, $2, $3)`, [randomUUID(), self.id, roleId]);

    const offset = await call('GET', '/api/v1/users?perPage=100', self.token);
    expect(offset.status).toBe(200);
    expect(offset.body.data.map((u: { id: string }) => u.id)).toEqual([self.id]);
    expect(offset.body.meta.pagination.totalItems).toBe(1);

    const cursor = await call('GET', '/api/v1/users?limit=100', self.token);
    expect(cursor.status).toBe(200);
    expect(cursor.body.data.map((u: { id: string }) => u.id)).toEqual([self.id]);
    expect(cursor.body.meta.cursor).toEqual({ next: null, hasNext: false });

    expect((await call('GET', `/api/v1/users/${self.id}`, self.token)).status).toBe(200);
    for (const other of others) {
      const read = await call('GET', `/api/v1/users/${other.id}`, self.token);
      expect(read.status).toBe(404);
      expect(read.body.error.code).toBe('NOT_FOUND');
    }
    // Without any users:read grant the route itself is refused.
    expect((await call('GET', '/api/v1/users', others[0].token)).status).toBe(403);
  });

  it('pages by cursor through every user exactly once, in a multi-key order', async () => {
    await atrium.app
      .get(FirstAdminService)
      .ensure({ email: 'root@example.com', username: 'root', password: 'granite harbour lantern 19' }, 'test');
    const login = await call('POST', '/api/v1/auth/login', undefined, {
      login: 'root',
      password: 'granite harbour lantern 19',
    });
    const token = login.body.data.accessToken as string;
    const all = await call('GET', '/api/v1/users?perPage=100&sort=username', token);
    const expected = all.body.data.map((u: { username: string }) => u.username);
    expect(expected.length).toBeGreaterThanOrEqual(4);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = await call('GET', `/api/v1/users?limit=2&sort=-createdAt,username${query}`, token);
      expect(page.status).toBe(200);
      seen.push(...page.body.data.map((u: { username: string }) => u.username));
      cursor = page.body.meta.cursor.next;
    } while (cursor);
    expect([...seen].sort()).toEqual([...expected].sort());
    expect(new Set(seen).size).toBe(seen.length);

    const bad = await call('GET', '/api/v1/users?sort=password', token);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_ERROR');
    const mixed = await call('GET', '/api/v1/users?page=1&limit=5', token);
    expect(mixed.status).toBe(400);
  });
});
