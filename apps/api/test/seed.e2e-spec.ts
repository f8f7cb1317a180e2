import { DataSource } from 'typeorm';
import type { AtriumApp } from '../src/bootstrap';
import { seed, seededTitleSql } from '../src/database/seed';
import { TITLE_MAX } from '../src/modules/posts/dto/posts.dto';
import { actors } from './support/actors';
import { startTestApp, TestResources } from './support/test-app';

/** `npm run db:seed`: realistic content whose counters are exact and which the API serves as any other. */
describe('seed', () => {
  const resources = new TestResources();
  let atrium: AtriumApp;
  const { call } = actors(() => atrium);
  const sql = <T>(text: string, values: unknown[] = []): Promise<T[]> => atrium.app.get(DataSource).query(text, values);

  beforeAll(async () => {
    await resources.create();
    atrium = await startTestApp(resources, { AUTH_THROTTLE_LIMIT: '1000' });
  });

  afterAll(async () => {
    await atrium?.close();
    await resources.drop();
  });

  it('gives every post a title of its own, as real posts have, up to millions of posts', async () => {
    // The benchmark's rare search is one post's title as a phrase: it must stay rare at any size.
    const [titles] = await sql<{ distinct: number; longest: number }>(
      `SELECT count(DISTINCT t)::int AS distinct, max(length(t))::int AS longest
         FROM (SELECT ${seededTitleSql('i')} AS t FROM generate_series(1, 200000) AS i) AS s`,
    );
    expect(titles.distinct).toBe(200_000);
    expect(titles.longest).toBeLessThanOrEqual(TITLE_MAX);
  });

  it('fills every content table set-based, with exact counters, in a shape the API serves', async () => {
    const summary = await seed(atrium.app.get(DataSource), { posts: 600, password: 'seeded harbour lantern 42' });
    expect(summary).toMatchObject({ posts: 600, authors: 5, categories: 50, tags: 200 });
    expect(summary.comments).toBeGreaterThan(600);

    const [statuses] = await sql<Record<string, number>>(
      `SELECT count(*) FILTER (WHERE status = 'published')::int AS published, count(*) FILTER (WHERE status = 'draft')::int AS draft,
              count(*) FILTER (WHERE status = 'scheduled')::int AS scheduled, count(*) FILTER (WHERE status = 'archived')::int AS archived,
              count(*) FILTER (WHERE visibility = 'members')::int AS members, count(*) FILTER (WHERE category_id IS NULL)::int AS uncategorised
         FROM posts`,
    );
    expect(statuses.published).toBeGreaterThan(500);
    for (const key of ['draft', 'scheduled', 'archived', 'members']) expect(statuses[key]).toBeGreaterThan(0);
    expect(statuses.uncategorised).toBe(0);

    // Counters equal what they count.
    const wrongTags = await sql(
      `SELECT t.id FROM tags t LEFT JOIN (SELECT tag_id, count(*)::int AS n FROM post_tags GROUP BY tag_id) c ON c.tag_id = t.id
        WHERE t.usage_count <> coalesce(c.n, 0)`,
    );
    expect(wrongTags).toEqual([]);
    const wrongComments = await sql(
      `SELECT p.id FROM posts p LEFT JOIN (SELECT post_id, count(*)::int AS n FROM comments WHERE status = 'approved' AND deleted_at IS NULL GROUP BY post_id) c
          ON c.post_id = p.id WHERE p.comment_count <> coalesce(c.n, 0)`,
    );
    expect(wrongComments).toEqual([]);
    // Each post is written once, counters and all: no post's row is newer than its comments. (Its
    // comment count set by an UPDATE after them rewrote every post, its search vector and search
    // indexes: 100 000 posts took 102 s and left the feed index 44 % full, to be rebuilt.)
    const rewritten = await sql(
      `SELECT p.id FROM posts p WHERE EXISTS (SELECT 1 FROM comments c WHERE c.post_id = p.id AND age(c.xmin) > age(p.xmin))`,
    );
    expect(rewritten).toEqual([]);

    // The API serves it: the feed, search, a post with its threads; a seeded author signs in.
    const feed = await call('GET', '/api/v1/posts', { query: { limit: '20' } });
    expect(feed.json().data).toHaveLength(20);
    const hits = await call('GET', '/api/v1/posts', { query: { q: 'harbour' } });
    expect(hits.json().data.length).toBeGreaterThan(0);
    const first = feed.json().data[0] as { id: string; commentCount: number };
    const threads = await call('GET', `/api/v1/posts/${first.id}/comments`);
    expect(threads.statusCode).toBe(200);
    const [author] = await sql<{ username: string }>(
      `SELECT u.username FROM users u JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id
        WHERE r.name = 'author' AND u.username LIKE 'seed\\_%' LIMIT 1`,
    );
    const login = await call('POST', '/api/v1/auth/login', {
      body: { login: author.username, password: 'seeded harbour lantern 42' },
    });
    expect(login.statusCode).toBe(200);
  });
});
