import { SystemRole } from '@atrium/contracts';
import { DataSource } from 'typeorm';
import type { AtriumApp } from '../src/bootstrap';
import { type Actor, actors } from './support/actors';
import { unique } from './support/factories';
import { startTestApp, TestResources } from './support/test-app';

interface CategoryNode {
  id: string;
  name: string;
  slug: string;
  parentId: string | null;
  sortOrder: number;
  postCount: number;
  children: CategoryNode[];
}
interface Tag {
  id: string;
  name: string;
  slug: string;
  color: string | null;
  usageCount: number;
}
interface Post {
  id: string;
  slug: string;
  category: { id: string; slug: string; name: string } | null;
  tags: Array<{ id: string; slug: string; name: string; color: string | null }>;
}

/**
 * Categories (a tree: order, post counts, no cycles, deletion that moves what it holds) and tags
 * (exact counts through edits, merges, deletes and concurrent writers), and posts filed and
 * filtered by them. Every response is checked against the committed spec.
 */
describe('categories and tags', () => {
  const resources = new TestResources();
  let atrium: AtriumApp;
  const { call, signedIn, asRole } = actors(() => atrium);
  const sql = <T>(text: string, values: unknown[] = []): Promise<T[]> => atrium.app.get(DataSource).query(text, values);

  let editor: Actor;
  let author: Actor;
  let reader: Actor;

  beforeAll(async () => {
    await resources.create();
    atrium = await startTestApp(resources, { AUTH_THROTTLE_LIMIT: '1000' });
    editor = await asRole(SystemRole.EDITOR);
    author = await asRole(SystemRole.AUTHOR);
    reader = await signedIn();
  });

  afterAll(async () => {
    await atrium?.close();
    await resources.drop();
  });

  const created = async <T>(path: string, by: Actor, body: Record<string, unknown>): Promise<T> => {
    const res = await call('POST', path, { token: by.token, body });
    expect({ status: res.statusCode, body: res.statusCode === 201 ? 'ok' : res.body }).toEqual({
      status: 201,
      body: 'ok',
    });
    return res.json().data as T;
  };
  const category = (body: Record<string, unknown>) => created<CategoryNode>('/api/v1/categories', editor, body);
  const tag = (body: Record<string, unknown>) => created<Tag>('/api/v1/tags', editor, body);
  const post = async (body: Record<string, unknown>, publish = true): Promise<Post> => {
    const made = await created<Post>('/api/v1/posts', author, {
      title: unique('Post'),
      body: 'Words on the sea.',
      ...body,
    });
    if (publish)
      expect((await call('POST', `/api/v1/posts/${made.id}/publish`, { token: author.token })).statusCode).toBe(200);
    return made;
  };
  const tree = async (): Promise<CategoryNode[]> => {
    const res = await call('GET', '/api/v1/categories');
    expect(res.statusCode).toBe(200);
    return res.json().data as CategoryNode[];
  };
  const find = (nodes: CategoryNode[], id: string): CategoryNode | undefined => {
    for (const node of nodes) {
      if (node.id === id) return node;
      const below = find(node.children, id);
      if (below) return below;
    }
    return undefined;
  };
  const listed = async (query: Record<string, string>): Promise<string[]> => {
    const res = await call('GET', '/api/v1/posts', { query: { perPage: '100', ...query } });
    expect(res.statusCode).toBe(200);
    return (res.json().data as Post[]).map((p) => p.id).sort();
  };
  /** Each tag's count as the API reports it, and the number of posts that truly carry it. */
  const counts = async (tags: Tag[]): Promise<{ reported: number[]; truth: number[] }> => {
    const reported: number[] = [];
    const truth: number[] = [];
    for (const t of tags) {
      const res = await call('GET', '/api/v1/tags', { query: { q: t.slug, perPage: '100', sort: 'name' } });
      reported.push((res.json().data as Tag[]).find((x) => x.id === t.id)?.usageCount ?? -1);
      const [row] = await sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM post_tags pt JOIN posts p ON p.id = pt.post_id WHERE pt.tag_id = $1 AND p.deleted_at IS NULL`,
        [t.id],
      );
      truth.push(row.n);
    }
    return { reported, truth };
  };

  it('keeps categories as an ordered tree with published-post counts that include the categories below', async () => {
    const coast = await category({ name: 'Coast', description: 'Tides and harbours', sortOrder: 2 });
    const inland = await category({ name: 'Inland', sortOrder: 1 });
    const harbours = await category({ name: 'Harbours', parentId: coast.id });
    const lighthouses = await category({ name: 'Lighthouses', parentId: harbours.id });
    expect(coast.slug).toBe('coast');

    await post({ categoryId: coast.id });
    await post({ categoryId: lighthouses.id });
    await post({ categoryId: lighthouses.id });
    await post({ categoryId: harbours.id }, false); // a draft: not counted

    const nodes = await tree();
    const roots = nodes.filter((n) => [coast.id, inland.id].includes(n.id));
    expect(roots.map((n) => n.slug)).toEqual(['inland', 'coast']); // sortOrder 1, then 2
    const c = find(nodes, coast.id)!;
    expect(c.postCount).toBe(3);
    expect(c.children.map((n) => n.id)).toEqual([harbours.id]);
    expect(c.children[0].postCount).toBe(2);
    expect(c.children[0].children.map((n) => [n.id, n.postCount])).toEqual([[lighthouses.id, 2]]);

    // The feed filtered by a category holds its posts and those of the categories below it.
    expect(await listed({ category: 'coast' })).toHaveLength(3);
    expect(await listed({ category: lighthouses.slug })).toHaveLength(2);
    expect(await listed({ category: 'no-such-category' })).toEqual([]);
  });

  it('refuses a move that would make a cycle, and names taken slugs', async () => {
    const top = await category({ name: 'Weather' });
    const mid = await category({ name: 'Storms', parentId: top.id });
    const low = await category({ name: 'Gales', parentId: mid.id });
    for (const parentId of [low.id, mid.id, top.id]) {
      const res = await call('PATCH', `/api/v1/categories/${top.id}`, { token: editor.token, body: { parentId } });
      expect({ status: res.statusCode, code: res.json().error?.details?.[0]?.code }).toEqual({
        status: 409,
        code: 'CYCLE',
      });
    }
    // Moving a branch elsewhere is fine; so is back to the top level.
    const moved = await call('PATCH', `/api/v1/categories/${low.id}`, {
      token: editor.token,
      body: { parentId: top.id },
    });
    expect(moved.json().data.parentId).toBe(top.id);
    expect(
      (await call('PATCH', `/api/v1/categories/${low.id}`, { token: editor.token, body: { parentId: null } })).json()
        .data.parentId,
    ).toBeNull();

    const again = await category({ name: 'Weather' });
    expect(again.slug).toBe('weather-2');
    const taken = await call('POST', '/api/v1/categories', {
      token: editor.token,
      body: { name: 'Other', slug: 'weather' },
    });
    expect({ status: taken.statusCode, code: taken.json().error.details[0].code }).toEqual({
      status: 409,
      code: 'TAKEN',
    });
    const unknownParent = await call('POST', '/api/v1/categories', {
      token: editor.token,
      body: { name: 'Orphan', parentId: '0190a000-0000-7000-8000-000000000000' },
    });
    expect({ status: unknownParent.statusCode, code: unknownParent.json().error.details[0].code }).toEqual({
      status: 400,
      code: 'UNKNOWN_CATEGORY',
    });
  });

  it('deletes a category in use only by moving its posts and children somewhere outside it', async () => {
    const old = await category({ name: 'Old news' });
    const child = await category({ name: 'Older news', parentId: old.id });
    const target = await category({ name: 'Archive shelf' });
    const filed = await post({ categoryId: old.id });

    const refused = await call('DELETE', `/api/v1/categories/${old.id}`, { token: editor.token });
    expect({ status: refused.statusCode, code: refused.json().error.details[0].code }).toEqual({
      status: 409,
      code: 'IN_USE',
    });
    const inside = await call('DELETE', `/api/v1/categories/${old.id}`, {
      token: editor.token,
      query: { moveTo: child.id },
    });
    expect({ status: inside.statusCode, code: inside.json().error.details[0].code }).toEqual({
      status: 409,
      code: 'CYCLE',
    });
    expect(find(await tree(), old.id)).toBeDefined();

    const moved = await call('DELETE', `/api/v1/categories/${old.id}`, {
      token: editor.token,
      query: { moveTo: target.id },
    });
    expect(moved.statusCode).toBe(200);
    const nodes = await tree();
    expect(find(nodes, old.id)).toBeUndefined();
    expect(find(nodes, target.id)!.children.map((n) => n.id)).toEqual([child.id]);
    const read = await call('GET', `/api/v1/posts/${filed.id}`);
    expect(read.json().data.category).toEqual({ id: target.id, name: 'Archive shelf', slug: target.slug });

    // An empty category goes at once.
    const empty = await category({ name: 'Empty shelf' });
    expect((await call('DELETE', `/api/v1/categories/${empty.id}`, { token: editor.token })).statusCode).toBe(200);
  });

  it('lets only those with the permissions change categories and tags; everyone reads them', async () => {
    for (const by of [author, reader]) {
      expect((await call('POST', '/api/v1/categories', { token: by.token, body: { name: 'Nope' } })).statusCode).toBe(
        403,
      );
      expect((await call('POST', '/api/v1/tags', { token: by.token, body: { name: 'Nope' } })).statusCode).toBe(403);
    }
    expect((await call('POST', '/api/v1/tags', { body: { name: 'Nope' } })).statusCode).toBe(401);
    expect((await call('GET', '/api/v1/categories')).statusCode).toBe(200);
    expect((await call('GET', '/api/v1/tags')).statusCode).toBe(200);
  });

  it('files posts under tags, filters the feed by tag, and refuses unknown tags or categories without writing', async () => {
    const red = await tag({ name: 'Red sails', color: '#C92A2A' });
    const blue = await tag({ name: 'Blue water' });
    expect(red).toMatchObject({ slug: 'red-sails', color: '#c92a2a', usageCount: 0 });
    const p = await post({ tagIds: [red.id, blue.id] });
    const read = (await call('GET', `/api/v1/posts/${p.id}`)).json().data as Post;
    expect(read.tags.map((t) => t.slug)).toEqual(['blue-water', 'red-sails']); // by name
    expect(await listed({ tag: 'red-sails' })).toEqual([p.id]);

    const ghost = '0190a000-0000-7000-8000-000000000001';
    const before = (await call('GET', `/api/v1/posts/${p.id}`, { token: author.token })).json().data as Post & {
      version: number;
      title: string;
    };
    for (const body of [{ tagIds: [red.id, ghost] }, { categoryId: ghost }]) {
      const res = await call('PATCH', `/api/v1/posts/${p.id}`, {
        token: author.token,
        body: { title: 'Changed?', ...body },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details[0].code).toBe('tagIds' in body ? 'UNKNOWN_TAG' : 'UNKNOWN_CATEGORY');
    }
    const after = (await call('GET', `/api/v1/posts/${p.id}`, { token: author.token })).json().data as Post & {
      version: number;
      title: string;
    };
    expect({ version: after.version, tags: after.tags.length, title: after.title }).toEqual({
      version: before.version,
      tags: 2,
      title: before.title,
    });
    const tooMany = await call('POST', '/api/v1/posts', {
      token: author.token,
      body: {
        title: 'Eleven tags',
        body: 'x',
        tagIds: Array.from({ length: 11 }, (_, i) => `0190a000-0000-7000-8000-${String(i).padStart(12, '0')}`),
      },
    });
    expect(tooMany.statusCode).toBe(400);
  });

  it('keeps usage counts exact through edits, post deletion, merges and tag deletion', async () => {
    const [a, b, c] = [
      await tag({ name: unique('Ta') }),
      await tag({ name: unique('Tb') }),
      await tag({ name: unique('Tc') }),
    ];
    const p1 = await post({ tagIds: [a.id, b.id] });
    const p2 = await post({ tagIds: [a.id] }, false);
    const p3 = await post({ tagIds: [b.id, c.id] });
    expect(await counts([a, b, c])).toEqual({ reported: [2, 2, 1], truth: [2, 2, 1] });

    await call('PATCH', `/api/v1/posts/${p1.id}`, { token: author.token, body: { tagIds: [c.id] } });
    expect(await counts([a, b, c])).toEqual({ reported: [1, 1, 2], truth: [1, 1, 2] });

    expect((await call('DELETE', `/api/v1/posts/${p2.id}`, { token: author.token })).statusCode).toBe(200);
    expect(await counts([a, b, c])).toEqual({ reported: [0, 1, 2], truth: [0, 1, 2] });

    // Merging c into b: p3 had both (keeps one), p1 had c only (gets b).
    const merged = await call('POST', `/api/v1/tags/${c.id}/merge`, { token: editor.token, body: { intoId: b.id } });
    expect(merged.statusCode).toBe(200);
    expect(merged.json().data.usageCount).toBe(2);
    expect(await counts([a, b])).toEqual({ reported: [0, 2], truth: [0, 2] });
    expect((await call('GET', `/api/v1/posts/${p3.id}`)).json().data.tags.map((t: Tag) => t.id)).toEqual([b.id]);
    const self = await call('POST', `/api/v1/tags/${b.id}/merge`, { token: editor.token, body: { intoId: b.id } });
    expect(self.statusCode).toBe(409);
    const gone = await call('POST', `/api/v1/tags/${c.id}/merge`, { token: editor.token, body: { intoId: b.id } });
    expect(gone.statusCode).toBe(404);

    expect((await call('DELETE', `/api/v1/tags/${b.id}`, { token: editor.token })).statusCode).toBe(200);
    expect((await call('GET', `/api/v1/posts/${p1.id}`)).json().data.tags).toEqual([]);
  });

  it('keeps a count exact under concurrent writers', async () => {
    const shared = await tag({ name: unique('Busy') });
    const other = await tag({ name: unique('Quiet') });
    const posts = await Promise.all(Array.from({ length: 8 }, () => post({}, false)));
    // Every post gets the tag, loses it, gets it again with another — all at once.
    await Promise.all(
      posts.flatMap((p) => [
        call('PATCH', `/api/v1/posts/${p.id}`, { token: author.token, body: { tagIds: [shared.id] } }),
        call('PATCH', `/api/v1/posts/${p.id}`, { token: author.token, body: { tagIds: [other.id] } }),
        call('PATCH', `/api/v1/posts/${p.id}`, { token: author.token, body: { tagIds: [shared.id, other.id] } }),
      ]),
    );
    const { reported, truth } = await counts([shared, other]);
    expect(reported).toEqual(truth);
  });

  it('lists tags most used first or by name, and finds them by the start of their name', async () => {
    const prefix = unique('zz').toLowerCase();
    const rare = await tag({ name: `${prefix} rare` });
    const common = await tag({ name: `${prefix} common` });
    await post({ tagIds: [common.id] });
    await post({ tagIds: [common.id, rare.id] });
    const popular = await call('GET', '/api/v1/tags', { query: { q: prefix, sort: 'popular' } });
    expect((popular.json().data as Tag[]).map((t) => [t.id, t.usageCount])).toEqual([
      [common.id, 2],
      [rare.id, 1],
    ]);
    expect(popular.json().meta.pagination.totalItems).toBe(2);
    const byName = await call('GET', '/api/v1/tags', { query: { q: prefix.toUpperCase(), sort: 'name' } });
    expect((byName.json().data as Tag[]).map((t) => t.id)).toEqual([common.id, rare.id]);
  });

  it('reads one tag by its slug (exactly that one, not one that starts with it) or id, anonymously; 404 otherwise', async () => {
    const base = unique('tide').toLowerCase();
    const exact = await tag({ name: base });
    // A tag whose slug starts with the other's and is more used: first in a search for the slug.
    const longer = await tag({ name: `${base} pools` });
    await post({ tagIds: [longer.id] });
    const bySlug = await call('GET', `/api/v1/tags/${exact.slug}`);
    expect(bySlug.statusCode).toBe(200);
    expect(bySlug.json().data).toMatchObject({ id: exact.id, slug: exact.slug, name: base, usageCount: 0 });
    expect((await call('GET', `/api/v1/tags/${exact.slug.toUpperCase()}`)).json().data.id).toBe(exact.id);
    expect((await call('GET', `/api/v1/tags/${longer.id}`)).json().data).toMatchObject({
      slug: longer.slug,
      usageCount: 1,
    });

    for (const missing of ['no-such-tag', '0190f2a4-5b6c-7d8e-9f00-000000000000']) {
      const res = await call('GET', `/api/v1/tags/${missing}`);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ status: 'error', error: { code: 'NOT_FOUND' } });
    }
    // Tags keep no old slugs: a changed slug is gone.
    const renamed = await call('PATCH', `/api/v1/tags/${exact.id}`, {
      token: editor.token,
      body: { slug: `${base}-renamed` },
    });
    expect(renamed.statusCode).toBe(200);
    expect((await call('GET', `/api/v1/tags/${exact.slug}`)).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/tags/${base}-renamed`)).json().data.id).toBe(exact.id);
  });
});
