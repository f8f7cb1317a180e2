import type { AtriumApp } from '../src/bootstrap';
import { AbilityService } from '../src/modules/authorization/ability.service';
import { GrantsRepository } from '../src/modules/authorization/grants.repository';
import { SystemService } from '../src/modules/system/system.service';
import { actors } from './support/actors';
import { apiClient } from './support/api';
import { newRole } from './support/factories';
import { startTestApp, TestResources } from './support/test-app';

const WEAK_ETAG = /^W\/"[A-Za-z0-9_-]+"$/;

/** The value of one sample of a Prometheus exposition (0 when absent). */
const sample = (exposition: string, series: string): number => {
  const line = exposition.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
};

/**
 * The one cache across two replicas of the API on one database and one Redis (each app here is a
 * replica): HTTP revalidation of `GET /api/v1/info`, its counters in `/metrics`, and a revoke that
 * wins over a request that loaded the grants before it.
 */
describe('one cache, two replicas', () => {
  const resources = new TestResources();
  let a: AtriumApp;
  let b: AtriumApp;
  const callA = apiClient(() => a);
  const callB = apiClient(() => b);

  beforeAll(async () => {
    await resources.create();
    a = await startTestApp(resources);
    b = await startTestApp(resources);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await resources.drop();
  });

  describe('GET /api/v1/info: ETag, If-None-Match → 304, Cache-Control', () => {
    it('tags the data, not the envelope: two responses differ in meta and share the ETag', async () => {
      const first = await callA('GET', '/api/v1/info');
      const second = await callA('GET', '/api/v1/info');
      expect(first.statusCode).toBe(200);
      expect(first.headers.etag).toMatch(WEAK_ETAG);
      expect(first.headers['cache-control']).toBe('public, max-age=60, must-revalidate');
      expect(second.json().meta.requestId).not.toBe(first.json().meta.requestId);
      expect(second.headers.etag).toBe(first.headers.etag);
      // Every replica tags the same data the same way.
      expect((await callB('GET', '/api/v1/info')).headers.etag).toBe(first.headers.etag);
    });

    it('answers 304 without a body to a matching If-None-Match: the tag, a list holding it, its strong form, *', async () => {
      const { etag } = (await callA('GET', '/api/v1/info')).headers as { etag: string };
      for (const ifNoneMatch of [etag, `"stale", ${etag}`, etag.slice(2), '*']) {
        const res = await callA('GET', '/api/v1/info', { headers: { 'if-none-match': ifNoneMatch } });
        expect({ ifNoneMatch, status: res.statusCode }).toEqual({ ifNoneMatch, status: 304 });
        expect(res.rawPayload).toHaveLength(0);
        expect(res.headers['content-type']).toBeUndefined();
        expect(res.headers['content-length']).toBeUndefined();
        expect(res.headers.etag).toBe(etag);
        expect(res.headers['cache-control']).toBe('public, max-age=60, must-revalidate');
      }
      // HEAD revalidates the same way (Fastify's HEAD route: not in the spec, so not through callA).
      const head = (headers: Record<string, string> = {}) =>
        a.app.inject({ method: 'HEAD', url: '/api/v1/info', headers });
      const notModified = await head({ 'if-none-match': etag });
      expect([notModified.statusCode, notModified.rawPayload.length, notModified.headers.etag]).toEqual([304, 0, etag]);
      expect((await head()).statusCode).toBe(200);
      const other = await callA('GET', '/api/v1/info', { headers: { 'if-none-match': 'W/"something-else"' } });
      expect(other.statusCode).toBe(200);
      expect(other.json().data.name).toBe('Atrium');
    });

    it('a change shows at once on every replica: the old ETag gets 200 and the new data', async () => {
      const before = await callA('GET', '/api/v1/info');
      // Replica B restarts: a new boot count, and the shared cached copy is dropped.
      await b.app.get(SystemService).recordBoot();
      const after = await callA('GET', '/api/v1/info', { headers: { 'if-none-match': before.headers.etag as string } });
      expect(after.statusCode).toBe(200);
      expect(after.json().data.instance.bootCount).toBe(before.json().data.instance.bootCount + 1);
      expect(after.headers.etag).toMatch(WEAK_ETAG);
      expect(after.headers.etag).not.toBe(before.headers.etag);
    });

    it('counts cache hits and misses by namespace in /metrics', async () => {
      await callA('GET', '/api/v1/info');
      await callA('GET', '/api/v1/info');
      const metrics = (await callA('GET', '/metrics')).body;
      expect(metrics).toContain('# TYPE cache_hits_total counter');
      expect(metrics).toContain('# TYPE cache_errors_total counter');
      expect(sample(metrics, 'cache_hits_total{namespace="system"}')).toBeGreaterThanOrEqual(1);
      expect(sample(metrics, 'cache_misses_total{namespace="system"}')).toBeGreaterThanOrEqual(1);
    });
  });

  it('a revoke wins over a request on another replica that loaded the grants before it', async () => {
    const { asAdmin, signedIn } = actors(() => a);
    const admin = await asAdmin();
    const created = await callA('POST', '/api/v1/roles', { token: admin.token, body: newRole(['stats:read']) });
    expect(created.statusCode).toBe(201);
    const statsReader = created.json().data as { id: string; name: string };
    const roles = (await callA('GET', '/api/v1/roles', { token: admin.token })).json().data as Array<{
      id: string;
      name: string;
    }>;
    const userRole = roles.find((r) => r.name === 'user') as { id: string };
    const victim = await signedIn({ roles: [statsReader.name] });
    expect((await callB('GET', '/api/v1/admin/stats', { token: victim.token })).statusCode).toBe(200);
    // Start from nothing cached, so B's next request loads the grants.
    await a.app.get(AbilityService).invalidateUser(victim.id);

    // B's next load of the victim's grants reads the database, then waits for the test.
    const grantsOnB = b.app.get(GrantsRepository);
    const permissionsOf = grantsOnB.permissionsOf.bind(grantsOnB);
    let readFromDatabase!: () => void;
    const loaded = new Promise<void>((resolve) => (readFromDatabase = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const spy = jest.spyOn(grantsOnB, 'permissionsOf').mockImplementationOnce(async (roleIds) => {
      const rows = await permissionsOf(roleIds);
      readFromDatabase();
      await gate;
      return rows;
    });
    try {
      const inFlight = callB('GET', '/api/v1/admin/stats', { token: victim.token });
      await loaded;
      // A commits the revoke (and invalidates) while B holds the grants it read before.
      const revoked = await callA('PUT', `/api/v1/users/${victim.id}/roles`, {
        token: admin.token,
        body: { roles: [{ roleId: userRole.id }] },
      });
      expect(revoked.statusCode).toBeLessThan(300);
      release();
      // The request already in flight was allowed before the revoke; B then cached what it read.
      expect((await inFlight).statusCode).toBe(200);
    } finally {
      release();
      spy.mockRestore();
    }
    // Without versioning, B's late write would put the role back for the cache TTL (5 minutes).
    expect((await callB('GET', '/api/v1/admin/stats', { token: victim.token })).statusCode).toBe(403);
    expect((await callA('GET', '/api/v1/admin/stats', { token: victim.token })).statusCode).toBe(403);
  });
});
