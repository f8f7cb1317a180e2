import type { AtriumApp } from '../src/bootstrap';
import { actors } from './support/actors';
import { startTestApp, TestResources } from './support/test-app';

/** Writes that replace a set (delete, then insert) are serialised: racing them is never a 500. */
describe('concurrent replacements', () => {
  const resources = new TestResources();
  let atrium: AtriumApp;
  const { call, asAdmin, signedIn } = actors(() => atrium);

  beforeAll(async () => {
    await resources.create();
    atrium = await startTestApp(resources);
  });

  afterAll(async () => {
    await atrium?.close();
    await resources.drop();
  });

  it("50 concurrent replacements of one user's roles all succeed, and one of them wins whole", async () => {
    const admin = await asAdmin();
    const target = await signedIn();
    const roles = (await call('GET', '/api/v1/roles', { token: admin.token })).json().data as Array<{
      id: string;
      name: string;
    }>;
    const id = (name: string) => roles.find((r) => r.name === name)?.id as string;
    const sets = [['user'], ['user', 'author'], ['user', 'editor'], ['author']];
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        call('PUT', `/api/v1/users/${target.id}/roles`, {
          token: admin.token,
          body: { roles: sets[i % sets.length].map((name) => ({ roleId: id(name) })) },
        }),
      ),
    );
    expect(answers.map((res) => res.statusCode)).toEqual(Array(50).fill(200));
    const held = (await call('GET', `/api/v1/users/${target.id}`, { token: admin.token })).json().data.roles;
    const names = held.map((r: { name: string }) => r.name).sort();
    expect(sets.map((set) => [...set].sort())).toContainEqual(names);
  });

  it("concurrent replacements of one role's permissions all succeed, without duplicates", async () => {
    const admin = await asAdmin();
    const created = await call('POST', '/api/v1/roles', {
      token: admin.token,
      body: { name: 'racer', description: '', level: 10, permissions: [] },
    });
    expect(created.statusCode).toBe(201);
    const roleId = created.json().data.id as string;
    const grants = [[{ permission: 'posts:read' }], [{ permission: 'posts:read' }, { permission: 'comments:read' }]];
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call('PUT', `/api/v1/roles/${roleId}/permissions`, {
          token: admin.token,
          body: { permissions: grants[i % 2] },
        }),
      ),
    );
    expect(answers.map((res) => res.statusCode)).toEqual(Array(20).fill(200));
    const role = (await call('GET', `/api/v1/roles/${roleId}`, { token: admin.token })).json().data;
    const permissions = role.permissions.map((p: { permission: string }) => p.permission);
    expect(new Set(permissions).size).toBe(permissions.length);
  });
});
