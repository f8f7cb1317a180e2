// Browsing by category, tag and author, the feed's infinite scroll and the RSS feeds, in the built
// SPA against the REAL API (embedded mode, an instance of this test's own with an admin it makes up):
//   node --test apps/web/e2e/taxonomy.e2e.mjs
// The admin files 13 posts under a new category (3 of them tagged, 1 featured) through the API.
// Chromium opens the category's page (10 posts, then 3 more by scrolling alone), the tag's page,
// the author's profile (their posts and feed), the categories page and the feed (the featured post); each
// page's RSS link answers 200 with RSS XML, and axe finds nothing serious on the new pages.
/* global document, window, DOMParser -- in functions that run in the page */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';

import {
  apiCaller,
  assertAxeCleanInBothSchemes,
  launchBrowser,
  pageHeading,
  pageSettled,
  startEmbeddedInstance,
  TIMEOUT_MS,
} from './browser.mjs';

/** Posts filed under the category: more than one page of the feed (10). */
const POSTS = 13;
const TAGGED = 3;

/** @type {import('playwright-core').Browser} */
let browser;
let target = { url: '', stop: async () => {} };
const suffix = randomBytes(3).toString('hex');
/** What the admin made: the category, the tag, the posts' titles, the author. */
let made = { category: { slug: '', name: '' }, tag: { slug: '', name: '' }, titles: [], author: '', featured: '' };

const call = apiCaller(() => target);

before(async () => {
  browser = await launchBrowser();
  const admin = {
    login: `taxonomy-admin-${suffix}@example.com`,
    password: `Quiet harbour ${randomBytes(6).toString('hex')} under grey skies`,
  };
  const instance = await startEmbeddedInstance({
    // The posts are made through the API within a minute, from one address: above the general budget.
    env: { ADMIN_EMAIL: admin.login, ADMIN_PASSWORD: admin.password, THROTTLE_LIMIT: '100000' },
    readyWhen: (log) => log.includes('created from ADMIN_EMAIL'),
  });
  target = { url: instance.url, stop: instance.stop };

  const { data: session } = await call('POST', '/api/v1/auth/login', { body: admin });
  const token = session.accessToken;
  const { data: category } = await call('POST', '/api/v1/categories', {
    token,
    body: { name: `Harbours ${suffix}`, description: 'Quays, slipways and the boats that use them.' },
    expect: 201,
  });
  const { data: tag } = await call('POST', '/api/v1/tags', {
    token,
    body: { name: `Lighthouses ${suffix}` },
    expect: 201,
  });
  const titles = [];
  for (let n = 1; n <= POSTS; n += 1) {
    const title = `Harbour note ${n} ${suffix}`;
    const { data: draft } = await call('POST', '/api/v1/posts', {
      token,
      body: {
        title,
        body: `The tide came in at the harbour for the ${n}th time this month, and the boats rose with it.`,
        categoryId: category.id,
        tagIds: n > POSTS - TAGGED ? [tag.id] : [],
        featured: n === POSTS,
      },
      expect: 201,
    });
    await call('POST', `/api/v1/posts/${draft.id}/publish`, { token, body: {}, expect: 200 });
    titles.push(title);
  }
  made = {
    category: { slug: category.slug, name: category.name },
    tag: { slug: tag.slug, name: tag.name },
    titles,
    author: session.user.username,
    featured: titles.at(-1),
  };
});

after(async () => {
  await browser?.close();
  await target.stop();
});

/** A page of its own (light scheme, a desktop window), with page errors and console errors recorded. */
async function openReader(viewport = { width: 1280, height: 720 }) {
  // bypassCSP: axe is injected as an inline script (the CSP itself is smoke.e2e.mjs's).
  const context = await browser.newContext({ baseURL: target.url, viewport, bypassCSP: true, colorScheme: 'light' });
  context.setDefaultTimeout(TIMEOUT_MS);
  const page = await context.newPage();
  /** @type {string[]} */
  const errors = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return { context, page, errors };
}

/** The feed at `href` (relative to the instance): 200, RSS XML, and these titles in it. */
async function assertFeed(href, titles) {
  const response = await fetch(new URL(href, target.url));
  assert.equal(response.status, 200, `${href} answered ${response.status}`);
  assert.match(response.headers.get('content-type') ?? '', /^application\/rss\+xml/);
  const xml = await response.text();
  assert.match(xml, /^<\?xml[^>]*\?>\s*<rss[\s>]/);
  for (const title of titles)
    assert.ok(xml.includes(`<title><![CDATA[${title}]]></title>`) || xml.includes(title), `${href} lists "${title}"`);
}

/** The RSS feeds the page's <head> names. */
const alternates = (page) =>
  page.evaluate(() =>
    [...document.head.querySelectorAll('link[rel="alternate"][type="application/rss+xml"]')].map((link) =>
      link.getAttribute('href'),
    ),
  );

test('a category’s page: its posts, 10 then the rest by scrolling alone, its RSS feed, accessible', async () => {
  const { context, page, errors } = await openReader();
  try {
    const feedCalls = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/v1/posts' && url.searchParams.get('category')) feedCalls.push(url.searchParams);
    });
    await page.goto(`/categories/${made.category.slug}`);
    await pageHeading(page, made.category.name).catch(async (error) => {
      // What the page shows instead, in the failure.
      throw new Error(`${error.message}\nThe page shows: ${await page.getByRole('main').innerText()}`);
    });
    await page.getByText('Quays, slipways and the boats that use them.').waitFor();
    const list = page.getByRole('list', { name: `Posts in ${made.category.name}, newest first` });
    await list.getByRole('article').first().waitFor();
    assert.equal(await list.getByRole('article').count(), 10, 'the first page: 10 posts');
    // Newest first: the last one filed comes first.
    assert.equal(await list.getByRole('article').first().getByRole('heading').textContent(), made.titles.at(-1));

    // Its feed: a visible link, named in the head too, and it answers with the category's posts.
    const rss = page.getByRole('link', { name: 'RSS feed of this category' });
    const href = await rss.getAttribute('href');
    assert.equal(href, `/feed.xml?category=${made.category.slug}`);
    assert.ok((await alternates(page)).includes(href), 'the head names the category feed');
    await assertFeed(href, [made.titles.at(-1)]);

    await pageSettled(page);
    await assertAxeCleanInBothSchemes(page, `/categories/${made.category.slug}`);

    // Scrolling to the end brings the rest, without a click; the status says how many came.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await list
      .getByRole('article')
      .nth(POSTS - 1)
      .waitFor();
    assert.equal(await list.getByRole('article').count(), POSTS);
    assert.equal(await list.getByRole('article').last().getByRole('heading').textContent(), made.titles[0]);
    assert.ok(
      feedCalls.some((query) => query.has('cursor')),
      'the next page was asked for by its cursor',
    );
    await page
      .getByRole('status')
      .filter({ hasText: `Showing ${POSTS} posts (3 more loaded) — that is all.` })
      .waitFor();
    assert.equal(await page.getByRole('button', { name: 'Load more' }).count(), 0, 'nothing more to load');
    assert.deepEqual(errors, [], errors.join('\n'));
  } finally {
    await context.close();
  }
});

test('a tag’s page lists the posts that carry it, with its RSS feed; a post links to it', async () => {
  const { context, page, errors } = await openReader();
  try {
    // From a tagged post's page, its tag leads to the tag's page.
    await page.goto('/posts');
    await pageHeading(page, 'Latest posts');
    await page
      .getByRole('main')
      .getByRole('link', { name: made.titles.at(-1) })
      .first()
      .click();
    await pageHeading(page, made.titles.at(-1));
    await page.getByRole('list', { name: 'Tags' }).getByRole('link', { name: made.tag.name }).click();
    await pageHeading(page, `Tagged ${made.tag.name}`);
    assert.equal(new URL(page.url()).pathname, `/tags/${made.tag.slug}`);

    const list = page.getByRole('list', { name: `Posts tagged ${made.tag.name}, newest first` });
    await list.getByRole('article').first().waitFor();
    assert.deepEqual(
      await list.getByRole('article').getByRole('heading').allTextContents(),
      made.titles.slice(-TAGGED).reverse(),
    );
    const href = await page.getByRole('link', { name: 'RSS feed of this tag' }).getAttribute('href');
    assert.equal(href, `/feed.xml?tag=${made.tag.slug}`);
    assert.ok((await alternates(page)).includes(href), 'the head names the tag feed');
    await assertFeed(href, made.titles.slice(-TAGGED));

    await pageSettled(page);
    await assertAxeCleanInBothSchemes(page, `/tags/${made.tag.slug}`);
    assert.deepEqual(errors, [], errors.join('\n'));
  } finally {
    await context.close();
  }
});

test("an author's profile lists their published posts, with the RSS feed of them", async () => {
  const { context, page, errors } = await openReader();
  try {
    await page.goto(`/u/${made.author}`);
    await pageHeading(page);
    const list = page.getByRole('main').getByRole('list', { name: /^Posts by / });
    await list.getByRole('article').first().waitFor();
    assert.equal(await list.getByRole('article').first().getByRole('heading').textContent(), made.titles.at(-1));

    // Their feed: a visible link, named in the head too, and it answers with their posts as RSS
    // that the browser's own XML parser reads (an RSS 2.0 channel with every post as an item).
    const href = await page.getByRole('link', { name: /^RSS feed of posts by / }).getAttribute('href');
    assert.equal(href, `/feed.xml?author=${made.author}`);
    assert.ok((await alternates(page)).includes(href), 'the head names the author feed');
    await assertFeed(href, [made.titles.at(-1), made.titles[0]]);
    const parsed = await page.evaluate(async (url) => {
      const xml = new DOMParser().parseFromString(await (await fetch(url)).text(), 'application/xml');
      return {
        error: xml.querySelector('parsererror')?.textContent ?? null,
        version: xml.documentElement.getAttribute('version'),
        items: [...xml.querySelectorAll('rss > channel > item > title')].map((title) => title.textContent),
      };
    }, href);
    assert.deepEqual(parsed, { error: null, version: '2.0', items: [...made.titles].reverse().slice(0, 20) });
    await pageSettled(page);
    await assertAxeCleanInBothSchemes(page, `/u/${made.author}`);
    assert.deepEqual(errors, [], errors.join('\n'));
  } finally {
    await context.close();
  }
});

test('the feed shows the featured post; every page names the site feed, which answers with RSS; the categories page', async () => {
  const { context, page, errors } = await openReader();
  try {
    await page.goto('/posts');
    await pageHeading(page, 'Latest posts');
    const featured = page.getByRole('list', { name: 'Featured' });
    await featured.getByRole('article', { name: made.featured }).waitFor();
    await featured.getByRole('article', { name: made.featured }).getByText('Featured', { exact: true }).waitFor();

    assert.ok((await alternates(page)).includes('/feed.xml'), 'the head names the site feed');
    assert.equal(
      await page.getByRole('main').getByRole('link', { name: 'RSS feed', exact: true }).getAttribute('href'),
      '/feed.xml',
    );
    await assertFeed('/feed.xml', [made.titles.at(-1)]);

    await page.getByRole('main').getByRole('link', { name: 'Categories', exact: true }).click();
    await pageHeading(page, 'Categories');
    const every = page.getByRole('navigation', { name: 'Every category' });
    await every.getByRole('link', { name: made.category.name }).waitFor();
    await page.getByRole('navigation', { name: 'Popular tags' }).getByRole('link', { name: made.tag.name }).waitFor();
    await pageSettled(page);
    await assertAxeCleanInBothSchemes(page, '/categories');
    await every.getByRole('link', { name: made.category.name }).click();
    await pageHeading(page, made.category.name);
    assert.deepEqual(errors, [], errors.join('\n'));
  } finally {
    await context.close();
  }
});
