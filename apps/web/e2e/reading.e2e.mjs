// Reading pages of the built SPA against the REAL running API (embedded mode):
//   BASE_URL=http://127.0.0.1:3000 DATA_DIR=/path/to/the/api/data \
//     ADMIN_LOGIN=admin@example.com ADMIN_PASSWORD=… node --test apps/web/e2e/reading.e2e.mjs
// The admin (ADMIN_LOGIN or ADMIN_EMAIL, and ADMIN_PASSWORD: the API's first admin) writes a post
// through the API and publishes it; Chromium finds it in "Latest posts", by search too, opens it,
// and checks its title, its rendered HTML, focus, the layout at phone widths and axe in both
// schemes. An old slug of the post lands on its address of now. A members-only post asks a visitor
// to sign in and shows once they have. Without the admin's credentials (CI's .ci/run passes them
// to the SDK test only) the test starts an embedded API of its own, with an admin it makes up.
/* global document, getComputedStyle, requestAnimationFrame -- in functions that run in the page */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';

import {
  adminTarget,
  apiCaller,
  assertAxeCleanInBothSchemes,
  BASE_URL,
  horizontalOverflow,
  launchBrowser,
  pageHeading,
  pageSettled,
  TIMEOUT_MS,
  withPageState,
} from './browser.mjs';

/** @type {import('playwright-core').Browser} */
let browser;
/** The API under test and its admin. */
let target = { url: BASE_URL, login: '', password: '', stop: async () => {} };

before(async () => {
  browser = await launchBrowser();
  target = await adminTarget('reader-admin');
});

after(async () => {
  await browser?.close();
  await target.stop();
});

/** JSON calls to the API under test. */
const call = apiCaller(() => target);

/** The admin writes and publishes a post (an accessible body: headings from h2, described links). */
async function publishPost(word, { visibility = 'public' } = {}) {
  const { data: session } = await call('POST', '/api/v1/auth/login', {
    body: { login: target.login, password: target.password },
  });
  const token = session.accessToken;
  const title = `Tides of Orkney ${word}`;
  const body = [
    'Twice a day the harbour at Stromness fills and empties, and the boats settle on the mud.',
    '',
    '## Where the tide turns',
    '',
    `The **${word}** current runs hardest between the islands an hour before high water.`,
    '',
    '- Low water: the slipway is dry',
    '- High water: the quay steps are under',
    '',
    '### Reading the tables',
    '',
    'See [the tide tables of the Orkney harbours](https://example.com/orkney-tides) for the times.',
  ].join('\n');
  const { data: draft } = await call('POST', '/api/v1/posts', {
    token,
    body: { title, body, visibility },
    expect: 201,
  });
  await call('POST', `/api/v1/posts/${draft.id}/publish`, { token, body: {}, expect: 200 });
  return { token, id: draft.id, slug: draft.slug, title, author: session.user.username };
}

/**
 * Nothing sticks out sideways at 320, 390 and 768 px, and the page does not scroll sideways.
 * @param {import('playwright-core').Page} page
 * @param {string} where
 */
async function assertFitsPhoneWidths(page, where) {
  const problems = [];
  for (const width of [320, 390, 768]) {
    await page.setViewportSize({ width, height: 844 });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const found = await horizontalOverflow(page);
    if (found.scrollWidth > found.width) problems.push(`${width} px: scrolls sideways (${found.scrollWidth} px)`);
    for (const element of found.outside) problems.push(`${width} px: outside the viewport: ${element}`);
    for (const label of found.truncated) problems.push(`${width} px: label cut short: ${label}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  assert.deepEqual(problems, [], `${where}:\n${problems.join('\n')}`);
}

test('a published post: found in Latest posts and by search, opened, its HTML rendered, accessible; an old slug moves on', async () => {
  const word = `kelpie${randomBytes(3).toString('hex')}`;
  const post = await publishPost(word);
  // bypassCSP: axe is injected as an inline script (the CSP itself is smoke.e2e.mjs's).
  const context = await browser.newContext({
    baseURL: target.url,
    viewport: { width: 1280, height: 800 },
    bypassCSP: true,
    colorScheme: 'light',
  });
  context.setDefaultTimeout(TIMEOUT_MS);
  const page = await context.newPage();
  /** @type {string[]} */
  const errors = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  try {
    // The header's "Posts" leads to the feed, where the new post is among the newest.
    await page.goto('/');
    await pageHeading(page);
    await page
      .getByRole('banner')
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Posts' })
      .click();
    await pageHeading(page, 'Latest posts');
    assert.equal(new URL(page.url()).pathname, '/posts');
    const card = page.getByRole('article', { name: post.title });
    await card.waitFor();
    await pageSettled(page);
    await assertAxeCleanInBothSchemes(page, '/posts');
    await assertFitsPhoneWidths(page, '/posts');

    // Search: the unusual word finds it, with the word marked in its snippet (and no other markup).
    await page.getByRole('searchbox', { name: /Search posts/ }).fill(word);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { level: 2, name: `Results for “${word}”` }).waitFor();
    const result = page.getByRole('article', { name: post.title });
    await result.waitFor();
    const marked = await result.locator('mark').allTextContents();
    assert.ok(
      marked.some((text) => text.toLowerCase() === word),
      `the snippet marks "${word}": ${JSON.stringify(marked)}`,
    );
    const snippetTags = await result
      .getByTestId('snippet')
      .evaluate((element) => [...element.querySelectorAll('*')].map((child) => child.tagName));
    assert.deepEqual([...new Set(snippetTags)], ['MARK'], 'only <mark> is markup in the snippet');
    await pageSettled(page);
    await assertAxeCleanInBothSchemes(page, `/posts?q=${word}`);

    // Open it: the title is the h1 and takes focus; the body is the API's HTML, headings from h2.
    await result.getByRole('link', { name: post.title }).click();
    await page.waitForURL((url) => url.pathname === `/posts/${post.slug}`);
    const heading = await pageHeading(page, post.title);
    await page.waitForFunction(
      (title) => document.activeElement?.tagName === 'H1' && document.activeElement.textContent === title,
      post.title,
    );
    assert.equal(await page.getByRole('main').getByRole('heading', { level: 1 }).count(), 1, 'one h1');
    assert.equal(await heading.textContent(), post.title);
    assert.equal(await page.title(), `${post.title} · Atrium`);
    const body = page.getByTestId('post-body');
    await body.getByRole('heading', { level: 2, name: 'Where the tide turns' }).waitFor();
    await body.getByRole('heading', { level: 3, name: 'Reading the tables' }).waitFor();
    assert.equal(await body.locator('strong').textContent(), word);
    assert.equal(await body.getByRole('listitem').count(), 2);
    const link = body.getByRole('link', { name: 'the tide tables of the Orkney harbours' });
    assert.equal(await link.getAttribute('href'), 'https://example.com/orkney-tides');
    assert.match((await link.getAttribute('rel')) ?? '', /noopener/);
    // Told apart from the text by more than colour.
    assert.match(await link.evaluate((element) => getComputedStyle(element).textDecorationLine), /underline/);
    // The author's card links to their public profile.
    await page.locator(`main article a[href="/u/${post.author}"]`).waitFor();
    await page
      .getByRole('main')
      .getByText(/min\sread/)
      .waitFor();
    await assertAxeCleanInBothSchemes(page, `/posts/${post.slug}`);
    await assertFitsPhoneWidths(page, `/posts/${post.slug}`);

    // A new slug: the old one still leads to the post, and the address becomes the new one.
    const newSlug = `${post.slug}-moved`;
    await call('PATCH', `/api/v1/posts/${post.id}`, { token: post.token, body: { slug: newSlug } });
    await page.goto(`/posts/${post.slug}`);
    await pageHeading(page, post.title);
    await page.waitForURL((url) => url.pathname === `/posts/${newSlug}`);
    assert.deepEqual(errors, [], errors.join('\n'));
  } finally {
    await context.close();
  }
});

test('a members-only post asks a visitor to sign in, and shows once they have, back on the post', async () => {
  const post = await publishPost(`selkie${randomBytes(3).toString('hex')}`, { visibility: 'members' });
  const context = await browser.newContext({ baseURL: target.url, viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(TIMEOUT_MS);
  const page = await context.newPage();
  try {
    await page.goto(`/posts/${post.slug}`);
    await pageHeading(page, 'This post is for members');
    assert.equal(await page.getByTestId('post-body').count(), 0);
    await page.getByRole('main').getByRole('link', { name: 'Sign in to read' }).click();
    await pageHeading(page, 'Sign in');
    const form = page.getByRole('form', { name: 'Sign in' });
    await form.getByRole('textbox', { name: 'Email or username' }).fill(target.login);
    await form.getByLabel('Password', { exact: false }).and(page.locator('input')).fill(target.password);
    await form.getByRole('button', { name: 'Sign in' }).click();

    await page.waitForURL((url) => url.pathname === `/posts/${post.slug}`);
    await pageHeading(page, post.title);
    await page.getByTestId('post-body').getByRole('heading', { level: 2, name: 'Where the tide turns' }).waitFor();
    await page.getByRole('main').getByText('Members only').waitFor();
  } catch (error) {
    throw await withPageState(page, 'reading-members-only', error);
  } finally {
    await context.close();
  }
});

test('an address no post has shows "Post not found"', async () => {
  const context = await browser.newContext({ baseURL: target.url, viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(TIMEOUT_MS);
  const page = await context.newPage();
  try {
    await page.goto(`/posts/no-such-post-${randomBytes(3).toString('hex')}`);
    await pageHeading(page, 'Post not found');
    await page.getByRole('main').getByRole('link', { name: 'Back to the posts' }).click();
    await pageHeading(page, 'Latest posts');
  } finally {
    await context.close();
  }
});
