// The journey of the issue "The SPA for everyone", in Chromium against the REAL API (embedded mode):
//   BASE_URL=http://127.0.0.1:3000 DATA_DIR=/path/to/its/data ADMIN_LOGIN=… ADMIN_PASSWORD=… \
//     node --test apps/web/e2e/journey.e2e.mjs
// A newcomer signs up, confirms the address from the mail, and signs in; an admin gives them the
// author role until a day next month; they write a post with an image (alt text asked for) and a
// tag, and publish it; a second reader comments; an editor approves the comment on the moderation
// page; and a visitor sees it under the post. Every step through the pages, as people do it.
// Without the admin's credentials it starts an embedded API of its own (its outbox in its data).
/* global document -- in functions that run in the page */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { deflateSync } from 'node:zlib';

import {
  apiCaller,
  BASE_URL,
  launchBrowser,
  notified,
  openPage,
  pageHeading,
  startEmbeddedInstance,
  TIMEOUT_MS,
} from './browser.mjs';

/** @type {import('playwright-core').Browser} */
let browser;
let target = { url: BASE_URL, dataDir: process.env.DATA_DIR ?? '', login: '', password: '', stop: async () => {} };

before(async () => {
  browser = await launchBrowser();
  const login = process.env.ADMIN_LOGIN ?? process.env.ADMIN_EMAIL;
  const password = process.env.ADMIN_PASSWORD;
  if (login && password && process.env.DATA_DIR) {
    target = { url: BASE_URL, dataDir: process.env.DATA_DIR, login, password, stop: async () => {} };
    return;
  }
  const made = {
    login: `journey-admin-${randomBytes(3).toString('hex')}@example.com`,
    password: `Granite quay ${randomBytes(6).toString('hex')} in the evening sun`,
  };
  const instance = await startEmbeddedInstance({
    env: {
      ADMIN_EMAIL: made.login,
      ADMIN_PASSWORD: made.password,
      AUTH_THROTTLE_LIMIT: '200',
      THROTTLE_LIMIT: '100000',
    },
    readyWhen: (log) => log.includes('created from ADMIN_EMAIL'),
  });
  target = { url: instance.url, dataDir: instance.dataDir, ...made, stop: instance.stop };
});

after(async () => {
  await browser?.close();
  await target.stop();
});

/** JSON calls to the API under test. */
const call = apiCaller(() => target);

/** The link to confirm `email`, from the mail the API wrote to its outbox. */
async function verificationPath(email) {
  const outbox = join(target.dataDir, 'outbox');
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const names = await readdir(outbox).catch(() => []);
    for (const name of names.filter((n) => n.endsWith('.eml'))) {
      const raw = (await readFile(join(outbox, name), 'latin1')).replace(/=\r?\n/g, '').replace(/=3D/gi, '=');
      if (!raw.toLowerCase().includes(email.toLowerCase())) continue;
      const token = /\/verify-email\?token=([A-Za-z0-9_-]+)/.exec(raw)?.[1];
      if (token) return `/verify-email?token=${token}`;
    }
    assert.ok(Date.now() < deadline, `no verification mail to ${email} in ${outbox}`);
    await sleep(100);
  }
}

/** A small PNG of one colour (what a photo upload is to the server: bytes to sniff and decode). */
function png(width, height, [r, g, b]) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3).fill(Buffer.from([r, g, b]))]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function signIn(page, login, password) {
  await page.goto('/sign-in');
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByRole('textbox', { name: 'Email or username' }).fill(login);
  await form.getByLabel('Password', { exact: false }).and(page.locator('input')).fill(password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname !== '/sign-in');
}

const mainNav = (page) => page.getByRole('banner').getByRole('navigation', { name: 'Main' });

test('sign up → confirm → author role with a last day → a post with an image and a tag → a comment → approved → shown', async () => {
  const word = randomBytes(3).toString('hex');
  const { data: adminSession } = await call('POST', '/api/v1/auth/login', {
    body: { login: target.login, password: target.password },
  });
  const tag = `lighthouses-${word}`;
  await call('POST', '/api/v1/tags', { token: adminSession.accessToken, body: { name: tag }, expect: 201 });

  // 1. A newcomer signs up, confirms the address from the mail, and signs in.
  const writer = {
    username: `writer_${word}`,
    email: `writer_${word}@example.com`,
    password: `Tidal pools ${randomBytes(4).toString('hex')} shine at dawn`,
  };
  const { page, errors } = await openPage(browser, target.url);
  await page.goto('/sign-up');
  const signUp = page.getByRole('form', { name: 'Sign up' });
  await signUp.getByRole('textbox', { name: 'Email' }).fill(writer.email);
  await signUp.getByRole('textbox', { name: 'Username' }).fill(writer.username);
  await signUp.getByLabel('Password', { exact: false }).and(page.locator('input')).fill(writer.password);
  await signUp.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { level: 1, name: 'Check your inbox' }).waitFor();
  await page.goto(await verificationPath(writer.email));
  await page.getByRole('heading', { level: 1, name: 'Email address confirmed' }).waitFor();
  await signIn(page, writer.username, writer.password);
  await page.getByRole('banner').getByRole('button', { name: writer.username }).waitFor();
  // Not an author yet: no Write link.
  await mainNav(page).getByRole('link', { name: 'Posts' }).waitFor();
  assert.equal(await mainNav(page).getByRole('link', { name: 'Write' }).count(), 0, 'a reader has no Write link');

  // 2. An admin gives them the author role until a day next month.
  const admin = await openPage(browser, target.url);
  await signIn(admin.page, target.login, target.password);
  await admin.page.goto('/admin/users');
  await pageHeading(admin.page, 'Users');
  await admin.page.getByRole('searchbox', { name: /Search users/ }).fill(writer.username);
  await admin.page.getByRole('button', { name: 'Search', exact: true }).click();
  await admin.page.getByRole('status').getByText(`1 user match “${writer.username}”.`).waitFor();
  await admin.page.getByRole('button', { name: `Actions for ${writer.username}` }).click();
  await admin.page.getByRole('menuitem', { name: 'Edit roles' }).click();
  const roles = admin.page.getByRole('dialog', { name: `Roles of ${writer.username}` });
  await roles.getByRole('checkbox', { name: /^author/ }).check();
  const lastDay = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  await roles.getByLabel('Last day of author').fill(lastDay);
  await roles.getByRole('button', { name: 'Save roles' }).click();
  await roles.waitFor({ state: 'hidden' });
  await admin.page
    .getByRole('list', { name: `Roles of ${writer.username}` })
    .getByText(/^author until/)
    .first()
    .waitFor();

  // 3. The writer (signed in again: the role is in their next token) writes a post with an image and a tag.
  await page.context().clearCookies();
  await signIn(page, writer.username, writer.password);
  await mainNav(page).getByRole('link', { name: 'Write' }).click();
  await page.getByRole('main').getByRole('link', { name: 'New post', exact: true }).click();
  await pageHeading(page, 'New post');
  const title = `The lighthouse at dusk ${word}`;
  await page.getByRole('textbox', { name: /^Title/ }).fill(title);
  const body = page.getByRole('textbox', { name: /^Text \(Markdown\)/ });
  await body.fill('The keeper lit the lamp at sunset.\n\n## The beam\n\nIt reached twenty miles out to sea.');
  await body.evaluate((element) => {
    const textarea = /** @type {HTMLTextAreaElement} */ (element);
    textarea.focus();
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
  });
  await page.getByRole('toolbar', { name: 'Formatting' }).getByRole('button', { name: 'Image' }).click();
  const picker = page.getByRole('dialog', { name: 'Insert an image' });
  await picker.locator('input[type="file"]').setInputFiles({
    name: 'lighthouse.png',
    mimeType: 'image/png',
    buffer: png(800, 500, [200, 120, 40]),
  });
  const alt = `A white lighthouse against an orange sky (${word})`;
  await picker.getByRole('textbox', { name: /^Alt text/ }).fill(alt);
  await picker.getByRole('button', { name: 'Insert image' }).click();
  await picker.waitFor({ state: 'detached' });
  assert.match(await body.inputValue(), /!\[[^\]]+\]\(media:[0-9a-f-]{36}\)/);
  await page.getByRole('combobox', { name: 'Tags' }).fill(word);
  await page.getByRole('option', { name: tag }).click();
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  // Closed first: on a slow machine the toasts of the save and the publication still sat over the link.
  await notified(page, 'Post published.');
  await page.getByRole('link', { name: 'View the post' }).click();
  const article = page.getByRole('article', { name: title });
  await article.waitFor();
  const image = article.locator('img[srcset]').first();
  assert.equal(await image.getAttribute('alt'), alt);
  await article.getByRole('link', { name: tag }).waitFor();
  const postPath = new URL(page.url()).pathname;

  // 4. A second reader comments: it waits for moderation (their first comment).
  const readerAccount = {
    username: `reader_${word}`,
    email: `reader_${word}@example.com`,
    password: `Harbour bells ${randomBytes(4).toString('hex')} ring twice`,
  };
  await call('POST', '/api/v1/auth/register', { body: readerAccount, expect: 202 });
  const token = new URL(await verificationPath(readerAccount.email), 'http://x').searchParams.get('token');
  await call('POST', '/api/v1/auth/verify-email', { body: { token } });
  const reader = await openPage(browser, target.url);
  await signIn(reader.page, readerAccount.username, readerAccount.password);
  await reader.page.goto(postPath);
  const comments = reader.page.getByRole('main').getByRole('region', { name: 'Comments' });
  const text = `What a beam — how far did it really reach? (${word})`;
  await comments.getByRole('textbox', { name: 'Your comment' }).fill(text);
  await comments.getByRole('button', { name: 'Post comment' }).click();
  const mine = comments.getByRole('article', { name: `Comment by ${readerAccount.username}` });
  await mine.getByText('Awaiting moderation').waitFor();

  // 5. The editor (the admin) approves it on the moderation page.
  await mainNav(admin.page).getByRole('link', { name: 'Moderation' }).click();
  const queue = admin.page.getByRole('table', { name: 'Comments waiting for moderation' });
  await queue
    .getByRole('row')
    .filter({ hasText: text })
    .getByRole('button', { name: `Approve the comment by ${readerAccount.username}` })
    .click();
  await admin.page.getByText(`The comment by ${readerAccount.username} was approved.`).waitFor();

  // 6. A visitor sees it under the post.
  const visitor = await openPage(browser, target.url);
  await visitor.page.goto(postPath);
  const shown = visitor.page
    .getByRole('main')
    .getByRole('region', { name: 'Comments' })
    .getByRole('article', { name: `Comment by ${readerAccount.username}` });
  await shown.getByText(text).waitFor();
  assert.equal(await shown.getByText('Awaiting moderation').count(), 0);
  assert.equal(
    await visitor.page.evaluate(() => document.title.includes('The lighthouse at dusk')),
    true,
    'the post page has its title',
  );

  for (const [who, list] of [
    ['writer', errors],
    ['admin', admin.errors],
    ['reader', reader.errors],
    ['visitor', visitor.errors],
  ]) {
    assert.deepEqual(
      list.filter((error) => !/status of 40[13]/.test(error)),
      [],
      `${who}'s console`,
    );
  }
});
