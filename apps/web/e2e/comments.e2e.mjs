// Comments and their moderation, in the built SPA against the REAL running API (embedded mode):
//   BASE_URL=http://127.0.0.1:3000 ADMIN_LOGIN=admin@example.com ADMIN_PASSWORD=… \
//     node --test apps/web/e2e/comments.e2e.mjs
// The admin (ADMIN_LOGIN or ADMIN_EMAIL, and ADMIN_PASSWORD: the API's first admin) publishes a
// post through the API; a new member signs up through the API (the admin marks their address
// confirmed) and comments through the UI. Under COMMENT_MODERATION=first (the default) their
// first comment waits: they see it with "Awaiting moderation", a visitor does not. The admin
// approves it on the moderation page (the header's "Moderation"), and a visitor then sees it.
// axe on the post page with comments and on the moderation page, light and dark; nothing wider
// than a phone. Without the admin's credentials (CI's .ci/run passes them to the SDK test only)
// the test starts an embedded API of its own, with an admin it makes up.
/* global requestAnimationFrame -- in functions that run in the page */
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
  navigateInApp,
  pageHeading,
  pageSettled,
  signInThroughForm,
  TIMEOUT_MS,
} from './browser.mjs';

/** @type {import('playwright-core').Browser} */
let browser;
/** The API under test and its admin. */
let target = { url: BASE_URL, login: '', password: '', stop: async () => {} };

before(async () => {
  browser = await launchBrowser();
  target = await adminTarget('comments-admin');
});

after(async () => {
  await browser?.close();
  await target.stop();
});

function randomPassword() {
  return `Harbour lantern ${randomBytes(6).toString('hex')} drifts over quiet water`;
}

/** JSON calls to the API under test. */
const call = apiCaller(() => target);

/** The admin's access token (one sign-in through the API). */
async function adminToken() {
  const { data } = await call('POST', '/api/v1/auth/login', {
    body: { login: target.login, password: target.password },
  });
  return data.accessToken;
}

/** The admin writes and publishes a post that takes comments. */
async function publishPost(token, word) {
  const title = `Ferries of Shetland ${word}`;
  const body = [
    'The morning boat leaves Lerwick at seven and is back before the light goes.',
    '',
    '## When the wind rises',
    '',
    'Crossings are cancelled above force eight; the harbour office posts the news by nine.',
  ].join('\n');
  const { data: draft } = await call('POST', '/api/v1/posts', { token, body: { title, body }, expect: 201 });
  await call('POST', `/api/v1/posts/${draft.id}/publish`, { token, body: {}, expect: 200 });
  return { id: draft.id, slug: draft.slug, title };
}

/** A new member, signed up through the API; the admin marks their address confirmed (comments need one). */
async function newMember(token) {
  const suffix = randomBytes(4).toString('hex');
  const account = { username: `reader_${suffix}`, email: `reader_${suffix}@example.com`, password: randomPassword() };
  await call('POST', '/api/v1/auth/register', { body: account, expect: 202 });
  const { data: users } = await call('GET', `/api/v1/users?search=${account.username}`, { token });
  const user = users.find((u) => u.username === account.username);
  assert.ok(user, `the admin finds ${account.username} among the users`);
  await call('PATCH', `/api/v1/users/${user.id}`, { token, body: { emailVerified: true } });
  return account;
}

/** A fresh browser context (own cookies) whose console errors and page errors are recorded. */
async function openContext() {
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
  return { context, page, errors };
}

/**
 * Nothing sticks out sideways at 320 and 390 px, and the page does not scroll sideways.
 * @param {import('playwright-core').Page} page
 * @param {string} where
 */
async function assertFitsPhoneWidths(page, where) {
  const problems = [];
  for (const width of [320, 390]) {
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

/** @param {import('playwright-core').Page} page */
const commentsOf = (page) => page.getByRole('main').getByRole('region', { name: 'Comments' });

test('a member comments; it awaits moderation; a moderator approves it on the moderation page; visitors then see it', async () => {
  const token = await adminToken();
  const word = `puffin${randomBytes(3).toString('hex')}`;
  const post = await publishPost(token, word);
  const member = await newMember(token);
  const text = `The ${word} crossing was calm this morning.`;

  // The member signs in through the form, opens the post and comments.
  const reader = await openContext();
  try {
    await signInThroughForm(reader.page, member);
    await navigateInApp(reader.page, `/posts/${post.slug}`);
    await pageHeading(reader.page, post.title);
    const comments = commentsOf(reader.page);
    await comments.getByText('Nobody has commented yet.').waitFor();
    await comments.getByRole('textbox', { name: 'Your comment' }).fill(text);
    await comments.getByRole('button', { name: 'Post comment' }).click();
    await reader.page.getByText('Your comment was sent. It shows to others once a moderator approves it.').waitFor();
    // Their own comment shows to them, said in words to be waiting.
    const mine = comments.getByRole('article', { name: `Comment by ${member.username}` });
    await mine.getByText(text).waitFor();
    await mine.getByText('Awaiting moderation').waitFor();
    await mine.getByText('Only you can see it until a moderator approves it.').waitFor();
    assert.equal(await mine.getByRole('button', { name: 'Edit your comment' }).count(), 1, 'their own: Edit');
    await pageSettled(reader.page);
    await assertAxeCleanInBothSchemes(reader.page, `/posts/${post.slug} (the member, a comment awaiting moderation)`);
    await assertFitsPhoneWidths(reader.page, `/posts/${post.slug} (the member)`);
    assert.deepEqual(reader.errors, [], reader.errors.join('\n'));
  } finally {
    await reader.context.close();
  }

  // A visitor does not see it yet.
  const before = await openContext();
  try {
    await before.page.goto(`/posts/${post.slug}`);
    await pageHeading(before.page, post.title);
    await commentsOf(before.page).getByText('Nobody has commented yet.').waitFor();
    assert.equal(await before.page.getByText(text).count(), 0, 'a visitor does not see a comment awaiting moderation');
  } finally {
    await before.context.close();
  }

  // The admin follows the header's "Moderation" and approves it there.
  const moderator = await openContext();
  try {
    await signInThroughForm(moderator.page, { username: target.login, password: target.password });
    await moderator.page
      .getByRole('banner')
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Moderation' })
      .click();
    await pageHeading(moderator.page, 'Moderation');
    const table = moderator.page.getByRole('table', { name: 'Comments waiting for moderation' });
    const row = table.getByRole('row').filter({ hasText: text });
    await row.waitFor();
    await row.getByRole('link', { name: post.title }).first().waitFor();
    await pageSettled(moderator.page);
    await assertAxeCleanInBothSchemes(moderator.page, '/moderation');
    await assertFitsPhoneWidths(moderator.page, '/moderation');

    await row.getByRole('button', { name: `Approve the comment by ${member.username}` }).click();
    await moderator.page.getByText(`The comment by ${member.username} was approved.`).waitFor();
    // Out of the queue (the last one: the table gives way to "The queue is empty.").
    await row.waitFor({ state: 'detached' });
    assert.equal(await moderator.page.getByText(text).count(), 0, 'the approved comment left the queue');
    assert.deepEqual(moderator.errors, [], moderator.errors.join('\n'));
  } finally {
    await moderator.context.close();
  }

  // Now a visitor sees it, with a link to sign in to comment that comes back to the post.
  const visitor = await openContext();
  try {
    await visitor.page.goto(`/posts/${post.slug}`);
    await pageHeading(visitor.page, post.title);
    const comments = commentsOf(visitor.page);
    const approved = comments.getByRole('article', { name: `Comment by ${member.username}` });
    await approved.getByText(text).waitFor();
    assert.equal(await approved.getByText('Awaiting moderation').count(), 0);
    await comments.getByText('1 comment', { exact: true }).waitFor();
    const signIn = comments.getByRole('link', { name: 'Sign in to comment' });
    assert.equal(await signIn.getAttribute('href'), `/sign-in?returnTo=${encodeURIComponent(`/posts/${post.slug}`)}`);
    await pageSettled(visitor.page);
    await assertAxeCleanInBothSchemes(visitor.page, `/posts/${post.slug} (a visitor, an approved comment)`);
    await assertFitsPhoneWidths(visitor.page, `/posts/${post.slug} (a visitor)`);
    assert.deepEqual(visitor.errors, [], visitor.errors.join('\n'));
  } finally {
    await visitor.context.close();
  }
});
