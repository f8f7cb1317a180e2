// Writing pages of the built SPA against the REAL running API (embedded mode):
//   BASE_URL=http://127.0.0.1:3000 ADMIN_LOGIN=admin@example.com ADMIN_PASSWORD=… \
//     node --test apps/web/e2e/writing.e2e.mjs
// The admin (verified, with the posts permissions) signs in through the form, opens Write from the
// header, writes a post with a tag, saves it, publishes it and finds it in Latest posts; My posts
// and the editor pass axe in both schemes and do not scroll sideways at phone widths. A second run
// does the same with the keyboard only (Tab, Enter and typing: no clicks). Without the admin's
// credentials the test starts an embedded API of its own, with an admin it makes up.
/* global document */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';

import {
  apiCaller,
  assertAxeCleanInBothSchemes,
  BASE_URL,
  horizontalOverflow,
  launchBrowser,
  pageHeading,
  pageSettled,
  startEmbeddedInstance,
  TIMEOUT_MS,
} from './browser.mjs';

/** @type {import('playwright-core').Browser} */
let browser;
let target = { url: BASE_URL, login: '', password: '', stop: async () => {} };

before(async () => {
  browser = await launchBrowser();
  const login = process.env.ADMIN_LOGIN ?? process.env.ADMIN_EMAIL;
  const password = process.env.ADMIN_PASSWORD;
  if (login && password) {
    target = { url: BASE_URL, login, password, stop: async () => {} };
    return;
  }
  const made = {
    login: `writer-admin-${randomBytes(3).toString('hex')}@example.com`,
    password: `Harbour lantern ${randomBytes(6).toString('hex')} drifts over quiet water`,
  };
  const instance = await startEmbeddedInstance({
    env: { ADMIN_EMAIL: made.login, ADMIN_PASSWORD: made.password },
    readyWhen: (log) => log.includes('created from ADMIN_EMAIL'),
  });
  target = { url: instance.url, ...made, stop: instance.stop };
});

after(async () => {
  await browser?.close();
  await target.stop();
});

/** JSON calls to the API under test. */
const call = apiCaller(() => target);

/** A tag to put on the post, made by the admin through the API. */
async function makeTag(name) {
  const { data: session } = await call('POST', '/api/v1/auth/login', {
    body: { login: target.login, password: target.password },
  });
  await call('POST', '/api/v1/tags', { token: session.accessToken, body: { name }, expect: 201 });
  return session.accessToken;
}

/** An accessible body: headings from h2, a link that says where it leads. */
const BODY = [
  'Twice a day the harbour at Stromness fills and empties.',
  '',
  '## Where the tide turns',
  '',
  'See [the tide tables of the Orkney harbours](https://example.com/orkney-tides) for the times.',
].join('\n');

async function newContext() {
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
  return { context, page, errors };
}

/**
 * No sideways scroll, nothing outside the viewport, at 390 px (and 320 px).
 * @param {import('playwright-core').Page} page
 * @param {string} where
 */
async function assertFitsPhoneWidths(page, where) {
  // Toasts (“Draft saved.”) close by themselves first: they slide in from the edge, and are not the page.
  await page.waitForFunction(() => !document.querySelector('.mantine-Notification-root'), null, { timeout: 15_000 });
  const problems = [];
  for (const width of [390, 320]) {
    await page.setViewportSize({ width, height: 844 });
    await page.waitForTimeout(150);
    const found = await horizontalOverflow(page);
    if (found.scrollWidth > found.width) problems.push(`${width} px: scrolls sideways (${found.scrollWidth} px)`);
    for (const element of found.outside) problems.push(`${width} px: outside the viewport: ${element}`);
    for (const label of found.truncated) problems.push(`${width} px: label cut short: ${label}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  assert.deepEqual(problems, [], `${where}:\n${problems.join('\n')}`);
}

test('the admin writes a post with a tag, publishes it, and finds it in Latest posts; My posts and the editor are accessible', async () => {
  const word = `selkie${randomBytes(3).toString('hex')}`;
  const tagName = `Tides ${word}`;
  const token = await makeTag(tagName);
  const title = `Harbour notes ${word}`;
  const { context, page, errors } = await newContext();
  try {
    await page.goto('/sign-in');
    const form = page.getByRole('form', { name: 'Sign in' });
    await form.getByRole('textbox', { name: 'Email or username' }).fill(target.login);
    await form.getByLabel('Password', { exact: false }).and(page.locator('input')).fill(target.password);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname !== '/sign-in');

    await page
      .getByRole('banner')
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Write' })
      .click();
    await pageHeading(page, 'My posts');
    await pageSettled(page);
    await assertAxeCleanInBothSchemes(page, '/write');
    await assertFitsPhoneWidths(page, '/write');

    await page.getByRole('main').getByRole('link', { name: 'New post', exact: true }).click();
    await pageHeading(page, 'New post');
    await page.getByRole('textbox', { name: /^Title/ }).fill(title);
    // First a link that says nothing on its own: the saved draft's report lists it.
    await page
      .getByRole('textbox', { name: /^Text \(Markdown\)/ })
      .fill('Twice a day the harbour fills. For the times, [click here](https://example.com/orkney-tides).');
    // The tag: typed into the picker, chosen from its list.
    await page.getByRole('combobox', { name: 'Tags' }).fill(word);
    await page.getByRole('option', { name: tagName }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Save draft' }).click();

    await page.waitForURL((url) => /^\/write\/[0-9a-f-]{36}$/.test(url.pathname));
    await page
      .getByTestId('save-status')
      .getByText(/^Saved at /)
      .waitFor();
    const id = new URL(page.url()).pathname.split('/').at(-1);
    const report = page.getByRole('region', { name: 'Accessibility check' });
    await report.getByText('A link’s text says nothing on its own:').waitFor();
    await pageSettled(page);
    await assertAxeCleanInBothSchemes(page, '/write/:id with an accessibility problem');

    // The text fixed and saved again: the report is clear.
    await page.getByRole('textbox', { name: /^Text \(Markdown\)/ }).fill(BODY);
    await page.getByRole('button', { name: 'Save draft' }).click();
    await report.getByText('No problems found in the text as written.').waitFor();
    // The preview is the server's rendering of the saved text.
    await page.getByRole('tab', { name: 'Preview' }).click();
    await page.getByTestId('preview-body').getByRole('heading', { level: 2, name: 'Where the tide turns' }).waitFor();
    await page.getByRole('tab', { name: 'Write' }).click();
    await pageSettled(page);
    await assertAxeCleanInBothSchemes(page, '/write/:id');
    await assertFitsPhoneWidths(page, '/write/:id');

    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByText('Post published.').waitFor();
    await page.getByRole('link', { name: 'View the post' }).waitFor();

    const { data: saved } = await call('GET', `/api/v1/posts/${id}`, { token });
    assert.equal(saved.status, 'published');
    assert.deepEqual(
      saved.tags.map((/** @type {{ name: string }} */ tag) => tag.name),
      [tagName],
    );

    await page
      .getByRole('banner')
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Posts' })
      .click();
    await pageHeading(page, 'Latest posts');
    await page.getByRole('article', { name: title }).waitFor();
    // Listed under its status in My posts.
    await page
      .getByRole('banner')
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Write' })
      .click();
    await pageHeading(page, 'My posts');
    await page.getByRole('tab', { name: 'Published' }).click();
    await page.getByRole('list', { name: 'Published' }).getByRole('link', { name: title }).waitFor();
    assert.deepEqual(errors, [], errors.join('\n'));
  } finally {
    await context.close();
  }
});

/**
 * Presses Tab until focus is on an element that `matches` (by its tag, its accessible text), at most `limit` times.
 * @param {import('playwright-core').Page} page
 * @param {(el: { tag: string, name: string, type: string }) => boolean} matches
 * @param {string} what
 */
async function tabTo(page, matches, what, limit = 60) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement;
      if (!element) return { tag: '', name: '', type: '' };
      const labelled = element.getAttribute('aria-labelledby');
      const label =
        element.getAttribute('aria-label') ??
        (labelled ? document.getElementById(labelled.split(' ')[0])?.textContent : null) ??
        (element.id ? document.querySelector(`label[for="${element.id}"]`)?.textContent : null) ??
        element.textContent ??
        '';
      return {
        tag: element.tagName.toLowerCase(),
        name: label.replace(/\s+/g, ' ').trim(),
        type: element.getAttribute('type') ?? '',
      };
    });
    if (matches(focused)) return;
  }
  assert.fail(`Tab never reached ${what}`);
}

test('keyboard only: sign in, open Write, write a post and publish it', async () => {
  const word = `kelpie${randomBytes(3).toString('hex')}`;
  const title = `Keyboard tides ${word}`;
  const { context, page, errors } = await newContext();
  try {
    await page.goto('/sign-in');
    await pageHeading(page, 'Sign in');
    await tabTo(page, (el) => el.tag === 'input' && /Email or username/.test(el.name), 'the login field');
    await page.keyboard.type(target.login);
    await tabTo(page, (el) => el.tag === 'input' && el.type === 'password', 'the password field');
    await page.keyboard.type(target.password);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname !== '/sign-in');
    await pageHeading(page);

    await tabTo(page, (el) => el.tag === 'a' && el.name === 'Write', 'the header’s Write link');
    await page.keyboard.press('Enter');
    await pageHeading(page, 'My posts');
    await tabTo(page, (el) => el.tag === 'a' && el.name === 'New post', 'New post');
    await page.keyboard.press('Enter');
    await pageHeading(page, 'New post');

    await tabTo(page, (el) => el.tag === 'input' && /^Title/.test(el.name), 'the title');
    await page.keyboard.type(title);
    await tabTo(page, (el) => el.tag === 'textarea' && /^Text \(Markdown\)/.test(el.name), 'the text');
    await page.keyboard.type(BODY);
    await tabTo(page, (el) => el.tag === 'button' && el.name === 'Publish', 'Publish');
    await page.keyboard.press('Enter');
    await page.getByText('Post published.').waitFor();
    await page.waitForURL((url) => /^\/write\/[0-9a-f-]{36}$/.test(url.pathname));

    const id = new URL(page.url()).pathname.split('/').at(-1);
    const { data: post } = await call('GET', `/api/v1/posts/${id}`);
    assert.equal(post.title, title);
    assert.equal(post.status, 'published');
    assert.deepEqual(errors, [], errors.join('\n'));
  } finally {
    await context.close();
  }
});
