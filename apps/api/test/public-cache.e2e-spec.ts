import { SystemRole } from '@atrium/contracts';
import type { AtriumApp } from '../src/bootstrap';
import { type Actor, actors } from './support/actors';
import { unique } from './support/factories';
import { startTestApp, TestResources } from './support/test-app';

/** The value of one sample of a Prometheus exposition (0 when absent). */
const sample = (exposition: string, series: string): number => {
  const line = exposition.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
};

interface PostSummary {
  id: string;
  slug: string;
  title: string;
  commentCount: number;
  category: { name: string } | null;
  tags: Array<{ name: string }>;
  author: { firstName: string | null };
}

/**
 * The public content cache across two replicas on one database and one Redis: replica B serves
 * lists and posts from the cache, and every kind of change made through replica A shows on B's
 * very next response (well within a second): a post's edit, its comment count, its category's
 * and tags' names, its author's name. Plus HTTP revalidation on lists and posts.
 */
describe('public content cache, two replicas', () => {
  const resources = new TestResources();
  let a: AtriumApp;
  let b: AtriumApp;
  const onA = actors(() => a);
  const onB = actors(() => b);
  let author: Actor;
  let editor: Actor;

  beforeAll(async () => {
    await resources.create();
    const env = { AUTH_THROTTLE_LIMIT: '1000', COMMENT_MODERATION: 'none' };
    a = await startTestApp(resources, env);
    b = await startTestApp(resources, env);
    author = await onA.asRole(SystemRole.AUTHOR);
    editor = await onA.asRole(SystemRole.EDITOR);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await resources.drop();
  });

  const publish = async (body: Record<string, unknown> = {}): Promise<PostSummary> => {
    const made = await onA.call('POST', '/api/v1/posts', {
      token: author.token,
      body: { title: unique('Cached'), body: 'Words worth caching.', ...body },
    });
    expect(made.statusCode).toBe(201);
    const published = await onA.call('POST', `/api/v1/posts/${made.json().data.id}/publish`, { token: author.token });
    expect(published.statusCode).toBe(200);
    return published.json().data as PostSummary;
  };
  const listOnB = async (query: Record<string, string> = {}): Promise<PostSummary[]> => {
    const res = await onB.call('GET', '/api/v1/posts', { query: { perPage: '100', ...query } });
    expect(res.statusCode).toBe(200);
    return res.json().data as PostSummary[];
  };
  const onBNow = async (id: string): Promise<PostSummary> => {
    const res = await onB.call('GET', `/api/v1/posts/${id}`);
    expect(res.statusCode).toBe(200);
    return res.json().data as PostSummary;
  };
  const hits = async (): Promise<number> =>
    sample((await onB.call('GET', '/metrics')).body, 'cache_hits_total{namespace="posts-public"}');

  it('serves a repeated public list and post from the cache', async () => {
    const post = await publish();
    await listOnB();
    await onBNow(post.slug);
    const before = await hits();
    expect((await listOnB()).map((p) => p.id)).toContain(post.id);
    expect((await onBNow(post.slug)).id).toBe(post.id);
    expect(await hits()).toBe(before + 2);
  });

  it("shows a post's edit, unpublishing and deletion on the other replica's next response", async () => {
    const post = await publish();
    expect((await onBNow(post.slug)).title).toBe(post.title);
    expect((await listOnB()).find((p) => p.id === post.id)?.title).toBe(post.title);

    const title = unique('Edited');
    expect(
      (await onA.call('PATCH', `/api/v1/posts/${post.id}`, { token: author.token, body: { title } })).statusCode,
    ).toBe(200);
    expect((await onBNow(post.slug)).title).toBe(title);
    expect((await listOnB()).find((p) => p.id === post.id)?.title).toBe(title);

    expect((await onA.call('POST', `/api/v1/posts/${post.id}/unpublish`, { token: author.token })).statusCode).toBe(
      200,
    );
    expect((await onB.call('GET', `/api/v1/posts/${post.slug}`)).statusCode).toBe(404);
    expect((await listOnB()).map((p) => p.id)).not.toContain(post.id);
  });

  it('shows a new comment count, a renamed category and tag, and a renamed author at once', async () => {
    const category = (
      await onA.call('POST', '/api/v1/categories', { token: editor.token, body: { name: unique('Shelf') } })
    ).json().data as { id: string };
    const tag = (await onA.call('POST', '/api/v1/tags', { token: editor.token, body: { name: unique('tag') } })).json()
      .data as { id: string };
    const post = await publish({ categoryId: category.id, tagIds: [tag.id] });
    expect((await onBNow(post.id)).commentCount).toBe(0);
    await listOnB();

    const reader = await onA.signedIn();
    expect(
      (await onA.call('POST', `/api/v1/posts/${post.id}/comments`, { token: reader.token, body: { body: 'Nice' } }))
        .statusCode,
    ).toBe(201);
    expect((await onBNow(post.id)).commentCount).toBe(1);
    expect((await listOnB()).find((p) => p.id === post.id)?.commentCount).toBe(1);

    const shelf = unique('Renamed shelf');
    await onA.call('PATCH', `/api/v1/categories/${category.id}`, { token: editor.token, body: { name: shelf } });
    expect((await onBNow(post.id)).category?.name).toBe(shelf);
    const label = unique('renamed');
    await onA.call('PATCH', `/api/v1/tags/${tag.id}`, { token: editor.token, body: { name: label } });
    expect((await listOnB()).find((p) => p.id === post.id)?.tags.map((t) => t.name)).toEqual([label]);

    const firstName = unique('Ada').slice(0, 40);
    expect((await onA.call('PATCH', '/api/v1/me', { token: author.token, body: { firstName } })).statusCode).toBe(200);
    expect((await onBNow(post.id)).author.firstName).toBe(firstName);
    expect((await listOnB()).find((p) => p.id === post.id)?.author.firstName).toBe(firstName);
  });

  it("serves signed-out readers' comment threads from the cache, and shows a new, edited or deleted comment at once", async () => {
    const post = await publish();
    const reader = await onA.signedIn();
    type Node = { id: string; body: string | null; author: { username: string } | null };
    const threadsOnB = async (token?: string): Promise<Node[]> => {
      const res = await onB.call('GET', `/api/v1/posts/${post.slug}/comments`, { token });
      expect(res.statusCode).toBe(200);
      return res.json().data as Node[];
    };
    expect(await threadsOnB()).toEqual([]);

    const written = await onA.call('POST', `/api/v1/posts/${post.id}/comments`, {
      token: reader.token,
      body: { body: 'First thoughts' },
    });
    expect(written.statusCode).toBe(201);
    const commentId = written.json().data.id as string;
    expect((await threadsOnB()).map((c) => c.body)).toEqual(['First thoughts']);

    // Decision 105: the page itself is a hit, beside the post's own.
    const before = await hits();
    expect((await threadsOnB()).map((c) => c.id)).toEqual([commentId]);
    expect(await hits()).toBe(before + 2);
    // A signed-in reader's page is read afresh (it may hold their own pending comments): only the post is a hit.
    expect((await threadsOnB(reader.token)).map((c) => c.id)).toEqual([commentId]);
    expect(await hits()).toBe(before + 3);

    const edited = await onA.call('PATCH', `/api/v1/comments/${commentId}`, {
      token: reader.token,
      body: { body: 'Second thoughts' },
    });
    expect(edited.statusCode).toBe(200);
    expect((await threadsOnB()).map((c) => c.body)).toEqual(['Second thoughts']);

    expect((await onA.call('DELETE', `/api/v1/comments/${commentId}`, { token: reader.token })).statusCode).toBe(200);
    expect(await threadsOnB()).toEqual([]);
  });

  it('keeps members-only posts from signed-out readers, whatever the cache holds', async () => {
    const post = await publish({ visibility: 'members' });
    const reader = await onB.signedIn();
    // A signed-in read puts the post in the cache…
    expect((await onB.call('GET', `/api/v1/posts/${post.slug}`, { token: reader.token })).statusCode).toBe(200);
    // …and a signed-out one still gets 401, and lists without it.
    expect((await onB.call('GET', `/api/v1/posts/${post.slug}`)).statusCode).toBe(401);
    expect((await listOnB()).map((p) => p.id)).not.toContain(post.id);
    const signedInList = await onB.call('GET', '/api/v1/posts', { token: reader.token, query: { perPage: '100' } });
    expect((signedInList.json().data as PostSummary[]).map((p) => p.id)).toContain(post.id);
  });

  it('revalidates lists and posts: 304 for a matching ETag, public for signed-out readers, private with a token', async () => {
    const post = await publish();
    for (const path of ['/api/v1/posts', `/api/v1/posts/${post.slug}`]) {
      const first = await onB.call('GET', path);
      expect(first.headers['cache-control']).toBe('public, max-age=0, must-revalidate');
      expect(first.headers.vary).toContain('Authorization');
      const again = await onB.call('GET', path, { headers: { 'if-none-match': first.headers.etag as string } });
      expect({ path, status: again.statusCode }).toEqual({ path, status: 304 });
      expect(again.rawPayload).toHaveLength(0);
      const reader = await onB.signedIn();
      const signedIn = await onB.call('GET', path, { token: reader.token });
      expect(signedIn.headers['cache-control']).toBe('private, max-age=0, must-revalidate');
    }
    // A change gives a new tag: the old one gets the new data.
    const before = await onB.call('GET', `/api/v1/posts/${post.slug}`);
    await onA.call('PATCH', `/api/v1/posts/${post.id}`, { token: author.token, body: { body: 'New words.' } });
    const after = await onB.call('GET', `/api/v1/posts/${post.slug}`, {
      headers: { 'if-none-match': before.headers.etag as string },
    });
    expect(after.statusCode).toBe(200);
    expect(after.json().data.body).toBe('New words.');
  });

  it("keeps a post's ETag when only its counters move: a comment does not make an author's If-Match stale", async () => {
    const post = await publish();
    const read = await onA.call('GET', `/api/v1/posts/${post.id}`, { token: author.token });
    const reader = await onA.signedIn();
    await onA.call('POST', `/api/v1/posts/${post.id}/comments`, { token: reader.token, body: { body: 'First' } });
    const reread = await onA.call('GET', `/api/v1/posts/${post.id}`, { token: author.token });
    expect(reread.json().data.commentCount).toBe(1);
    expect(reread.headers.etag).toBe(read.headers.etag);
    const edit = await onA.call('PATCH', `/api/v1/posts/${post.id}`, {
      token: author.token,
      headers: { 'if-match': read.headers.etag as string },
      body: { title: unique('Still mine') },
    });
    expect(edit.statusCode).toBe(200);
    // The edit answers with the post's new ETag: the next If-Match, without reading it again.
    const after = await onA.call('GET', `/api/v1/posts/${post.id}`, { token: author.token });
    expect(edit.headers.etag).toBe(after.headers.etag);
    const next = await onA.call('PATCH', `/api/v1/posts/${post.id}`, {
      token: author.token,
      headers: { 'if-match': edit.headers.etag as string },
      body: { body: 'Edited again from the answer of the last edit.' },
    });
    expect(next.statusCode).toBe(200);
    // The edit itself does make the tag stale.
    const stale = await onA.call('PATCH', `/api/v1/posts/${post.id}`, {
      token: author.token,
      headers: { 'if-match': read.headers.etag as string },
      body: { title: unique('Lost update') },
    });
    expect(stale.statusCode).toBe(412);
  });
});
