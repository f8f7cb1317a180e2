import { SystemRole } from '@atrium/contracts';
import type { AtriumApp } from '../src/bootstrap';
import { actors } from './support/actors';
import { startTestApp, TestResources } from './support/test-app';

const APP_URL = 'https://news.example.test';

/**
 * RSS 2.0, JSON Feed 1.1 and the sitemap: public posts only (never drafts or members-only ones),
 * newest first, narrowed by category, tag or author, with an ETag that answers 304.
 */
describe('feeds and sitemap', () => {
  const resources = new TestResources();
  let atrium: AtriumApp;
  const { call, asRole, asAdmin } = actors(() => atrium);
  const ids: Record<string, string> = {};
  const slugs: Record<string, string> = {};

  beforeAll(async () => {
    await resources.create();
    atrium = await startTestApp(resources, { AUTH_THROTTLE_LIMIT: '1000', APP_URL, CORS_ORIGINS: APP_URL });
    const editor = await asRole(SystemRole.EDITOR);
    const coast = (await call('POST', '/api/v1/categories', { token: editor.token, body: { name: 'Coast' } })).json()
      .data;
    const tag = (await call('POST', '/api/v1/tags', { token: editor.token, body: { name: 'Gulls' } })).json().data;
    const write = async (key: string, body: Record<string, unknown>, publish = true) => {
      const res = await call('POST', '/api/v1/posts', {
        token: editor.token,
        body: { body: `About ${key} & <friends>.`, ...body },
      });
      expect(res.statusCode).toBe(201);
      ids[key] = res.json().data.id as string;
      slugs[key] = res.json().data.slug as string;
      if (publish)
        expect((await call('POST', `/api/v1/posts/${ids[key]}/publish`, { token: editor.token })).statusCode).toBe(200);
    };
    await write('first', { title: 'First & foremost', categoryId: coast.id });
    await write('second', { title: 'Second <post>', tagIds: [tag.id] });
    await write('members', { title: 'Members only', visibility: 'members' });
    await write('draft', { title: 'Still a draft' }, false);
  });

  afterAll(async () => {
    await atrium?.close();
    await resources.drop();
  });

  it('serves RSS 2.0 of the public posts, newest first, escaped, with links on APP_URL', async () => {
    const res = await call('GET', '/feed.xml');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/rss\+xml/);
    const xml = res.body;
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\s*<rss version="2.0"/);
    const titles = [...xml.matchAll(/<item>\s*<title><!\[CDATA\[(.*?)\]\]><\/title>/g)].map((m) => m[1]);
    expect(titles).toEqual(['Second <post>', 'First & foremost']);
    expect(xml).toContain(`<link>${APP_URL}/posts/${slugs.second}</link>`);
    expect(xml).not.toContain('Members only');
    expect(xml).not.toContain('Still a draft');
  });

  it('serves JSON Feed 1.1, narrowed by category or tag', async () => {
    const res = await call('GET', '/feed.json');
    expect(res.headers['content-type']).toMatch(/^application\/feed\+json/);
    const feed = JSON.parse(res.body) as {
      version: string;
      items: Array<{ id: string; title: string; content_html: string; authors: unknown[] }>;
    };
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.items.map((item) => item.title)).toEqual(['Second <post>', 'First & foremost']);
    expect(feed.items[1].content_html).toContain('About first &amp; ');
    expect(feed.items[0].authors).toHaveLength(1);
    const byCategory = JSON.parse((await call('GET', '/feed.json', { query: { category: 'coast' } })).body) as {
      title: string;
      items: Array<{ title: string }>;
    };
    expect(byCategory.items.map((item) => item.title)).toEqual(['First & foremost']);
    const byTag = (await call('GET', '/feed.xml', { query: { tag: 'gulls' } })).body;
    expect(byTag.match(/<item>/g)).toHaveLength(1);
    expect(byTag).toContain('Second <post>');
  });

  it('lists the home page, the feed page and every public post in the sitemap', async () => {
    const res = await call('GET', '/sitemap.xml');
    expect(res.headers['content-type']).toMatch(/^application\/xml/);
    const locs = [...res.body.matchAll(/<loc>(.*?)<\/loc>/g)].map((m) => m[1]);
    expect(locs).toEqual([
      `${APP_URL}/`,
      `${APP_URL}/posts`,
      `${APP_URL}/posts/${slugs.second}`,
      `${APP_URL}/posts/${slugs.first}`,
    ]);
  });

  it('sends an ETag and public Cache-Control, and answers 304 to a matching If-None-Match', async () => {
    for (const path of ['/feed.xml', '/feed.json', '/sitemap.xml']) {
      const first = await call('GET', path);
      expect(first.headers['cache-control']).toMatch(/public/);
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^W\/"/);
      const again = await call('GET', path, { headers: { 'if-none-match': etag } });
      expect({ path, status: again.statusCode, body: again.body }).toEqual({ path, status: 304, body: '' });
    }
  });

  it('becomes a sitemap index of pages once the posts outgrow one file', async () => {
    const editor = await asRole(SystemRole.EDITOR);
    for (const title of ['Third', 'Fourth']) {
      const made = await call('POST', '/api/v1/posts', { token: editor.token, body: { title, body: 'More.' } });
      await call('POST', `/api/v1/posts/${made.json().data.id}/publish`, { token: editor.token });
    }
    // Three URLs a file: four public posts need two pages.
    const small = await startTestApp(resources, {
      APP_URL,
      CORS_ORIGINS: APP_URL,
      SITEMAP_MAX_URLS: '3',
      REDIS_PREFIX: `${resources.redisPrefix}small:`,
    });
    try {
      const get = (path: string) => small.app.getHttpAdapter().getInstance().inject({ method: 'GET', url: path });
      const index = await get('/sitemap.xml');
      expect(index.body).toContain('<sitemapindex');
      expect([...index.body.matchAll(/<loc>(.*?)<\/loc>/g)].map((m) => m[1])).toEqual([
        `${APP_URL}/sitemap.xml?page=1`,
        `${APP_URL}/sitemap.xml?page=2`,
      ]);
      const pages = await Promise.all([1, 2].map((n) => get(`/sitemap.xml?page=${n}`)));
      const locs = pages.map((page) => [...page.body.matchAll(/<loc>(.*?)<\/loc>/g)].map((m) => m[1]));
      expect(locs.map((l) => l.length)).toEqual([3, 1]);
      expect(locs.flat()).toEqual(
        expect.arrayContaining([`${APP_URL}/posts/${slugs.first}`, `${APP_URL}/posts/${slugs.second}`]),
      );
      expect((await get('/sitemap.xml?page=3')).statusCode).toBe(404);
    } finally {
      await small.close();
    }
  });

  it("serves an author's feed: only their published public posts, and 404 for an unknown or deactivated author", async () => {
    const author = await asRole(SystemRole.AUTHOR);
    const named = await call('PATCH', '/api/v1/me', {
      token: author.token,
      body: { firstName: 'Ada', lastName: 'Quill' },
    });
    expect(named.statusCode).toBe(200);
    const write = async (title: string, extra: Record<string, unknown> = {}, publish = true) => {
      const res = await call('POST', '/api/v1/posts', {
        token: author.token,
        body: { title, body: 'Words.', ...extra },
      });
      expect(res.statusCode).toBe(201);
      if (publish) {
        const published = await call('POST', `/api/v1/posts/${res.json().data.id}/publish`, { token: author.token });
        expect(published.statusCode).toBe(200);
      }
      return res.json().data.slug as string;
    };
    const older = await write('Ada on tides');
    const newer = await write('Ada on <gulls> & terns');
    await write('Ada for members', { visibility: 'members' });
    await write('Ada still drafting', {}, false);

    const rss = await call('GET', '/feed.xml', { query: { author: author.username } });
    expect(rss.statusCode).toBe(200);
    expect(rss.headers['content-type']).toMatch(/^application\/rss\+xml/);
    expect(rss.headers['cache-control']).toMatch(/public/);
    expect(rss.body).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\s*<rss version="2.0"[^>]*>\s*<channel>/);
    expect(rss.body).toMatch(/<\/channel>\s*<\/rss>\s*$/);
    expect(rss.body).toContain(`<link>${APP_URL}/u/${author.username}</link>`);
    expect(rss.body).toContain('Ada Quill');
    const titles = [...rss.body.matchAll(/<item>\s*<title><!\[CDATA\[(.*?)\]\]><\/title>/g)].map((m) => m[1]);
    // Not the editor's posts, not the members-only one, not the draft.
    expect(titles).toEqual(['Ada on <gulls> & terns', 'Ada on tides']);
    expect(rss.body).toContain(`<link>${APP_URL}/posts/${newer}</link>`);
    expect(rss.body).toContain(`<link>${APP_URL}/posts/${older}</link>`);

    const json = JSON.parse(
      (await call('GET', '/feed.json', { query: { author: author.username.toUpperCase() } })).body,
    ) as {
      feed_url: string;
      items: Array<{ title: string }>;
    };
    expect(json.items.map((item) => item.title)).toEqual(['Ada on <gulls> & terns', 'Ada on tides']);
    expect(json.feed_url).toBe(`${APP_URL}/feed.json?author=${author.username.toUpperCase()}`);

    for (const path of ['/feed.xml', '/feed.json']) {
      const unknown = await call('GET', path, { query: { author: 'nobody-here' } });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({ status: 'error', error: { code: 'NOT_FOUND' } });
    }

    // Deactivating the author drops the cached feed: it answers 404 at once.
    const admin = await asAdmin();
    const deactivated = await call('PATCH', `/api/v1/users/${author.id}`, {
      token: admin.token,
      body: { isActive: false },
    });
    expect(deactivated.statusCode).toBe(200);
    const gone = await call('GET', '/feed.xml', { query: { author: author.username } });
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({ status: 'error', error: { code: 'NOT_FOUND' } });
  });
});
