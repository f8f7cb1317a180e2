import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { AtriumApp } from '../src/bootstrap';
import { actors } from './support/actors';
import { startTestApp, TestResources } from './support/test-app';

/**
 * Ownership policies: a grant limited by a condition is never a full one. A role holding
 * `users:read` only for `{"id": "${user.id}"}` lists and reads its holder's own record and no
 * other — in lists (the rules become SQL) and by id (404: nothing tells the other exists).
 */
describe('ownership policies', () => {
  const resources = new TestResources();
  let atrium: AtriumApp;
  const { call, register, signIn, signedIn, asAdmin } = actors(() => atrium);
  const sql = (text: string, values: unknown[] = []) => atrium.app.get(DataSource).query(text, values);

  beforeAll(async () => {
    await resources.create();
    atrium = await startTestApp(resources);
  });

  afterAll(async () => {
    await atrium?.close();
    await resources.drop();
  });

  it('a self-only users:read role sees only its own record, in lists and by id', async () => {
    const others = await Promise.all([0, 1, 2].map(() => register()));
    const self = await register({}, { verified: true });
    // A custom role whose only grant is reading one's own user record, given before sign-in.
    const roleId = randomUUID();
    await sql(`INSERT INTO roles (id, name, description, level, is_system) VALUES ($1, 'self-reader', '', 5, false)`, [
      roleId,
    ]);
    await sql(
      `INSERT INTO permissions (id, role_id, resource, action, conditions) VALUES ($1, $2, 'users', 'read', $3)`,
      [randomUUID(), roleId, JSON.stringify({ id: '${user.id}' })],
    );
    await sql(`INSERT INTO user_roles (id, user_id, role_id) VALUES ($1, $2, $3)`, [randomUUID(), self.id, roleId]);
    const { token } = await signIn(self.username, self.password);

    const offset = await call('GET', '/api/v1/users', { token, query: { perPage: 100 } });
    expect(offset.statusCode).toBe(200);
    expect(offset.json().data.map((u: { id: string }) => u.id)).toEqual([self.id]);
    expect(offset.json().meta.pagination.totalItems).toBe(1);

    const cursor = await call('GET', '/api/v1/users', { token, query: { limit: 100 } });
    expect(cursor.statusCode).toBe(200);
    expect(cursor.json().data.map((u: { id: string }) => u.id)).toEqual([self.id]);
    expect(cursor.json().meta.cursor).toEqual({ next: null, hasNext: false });

    expect((await call('GET', `/api/v1/users/${self.id}`, { token })).statusCode).toBe(200);
    for (const other of others) {
      const read = await call('GET', `/api/v1/users/${other.id}`, { token });
      expect(read.statusCode).toBe(404);
      expect(read.json().error.code).toBe('NOT_FOUND');
    }
    // Without any users:read grant the route itself is refused.
    const plain = await signedIn();
    expect((await call('GET', '/api/v1/users', { token: plain.token })).statusCode).toBe(403);
  });

  it('pages by cursor through every user exactly once, in a multi-key order', async () => {
    const { token } = await asAdmin();
    const all = await call('GET', '/api/v1/users', { token, query: { perPage: 100, sort: 'username' } });
    const expected = all.json().data.map((u: { username: string }) => u.username) as string[];
    expect(expected.length).toBeGreaterThanOrEqual(5);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call('GET', '/api/v1/users', {
        token,
        query: { limit: 2, sort: '-createdAt,username', cursor },
      });
      expect(page.statusCode).toBe(200);
      seen.push(...page.json().data.map((u: { username: string }) => u.username));
      cursor = page.json().meta.cursor.next ?? undefined;
    } while (cursor);
    expect([...seen].sort()).toEqual([...expected].sort());
    expect(new Set(seen).size).toBe(seen.length);

    const bad = await call('GET', '/api/v1/users', { token, query: { sort: 'password' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_ERROR');
    const mixed = await call('GET', '/api/v1/users', { token, query: { page: 1, limit: 5 } });
    expect(mixed.statusCode).toBe(400);
    expect(mixed.json().error.details[0]).toMatchObject({ field: 'cursor', code: 'MIXED_PAGING' });
  });
});
