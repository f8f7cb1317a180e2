// A post's life in the editor of the built SPA against a fresh embedded API of the test's own, in a
// browser set to Paris time:
//   node --test apps/web/e2e/writing-lifecycle.e2e.mjs
// A draft saves itself (no button pressed); leaving with unsaved changes asks first; a save made
// elsewhere meanwhile brings the conflict screen (yours and theirs side by side), and "Keep mine"
// writes the screen's version; scheduling takes a day and time from the picker in the browser's
// time zone; the schedule is cancelled; the post is published, unpublished, published again and
// archived; an earlier revision is shown as a diff and restored. Editing a published post, the
// preview shows the text on screen before anything is saved; a library image with a caption shows
// it under the image on the published post, and a new caption once it is edited in the library.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';

import {
  adminTarget,
  apiCaller,
  assertAxeCleanInBothSchemes,
  launchBrowser,
  navigateInApp,
  notified,
  pageHeading,
  pageSettled,
  TIMEOUT_MS,
} from './browser.mjs';

/** @type {import('playwright-core').Browser} */
let browser;
let target = { url: '', login: '', password: '', stop: async () => {} };
const call = apiCaller(() => target);
const ZONE = 'Europe/Paris';

before(async () => {
  browser = await launchBrowser();
  target = await adminTarget('writer', { shared: false });
});

after(async () => {
  await browser?.close();
  await target.stop();
});

/** The post as the API has it now, with its ETag. */
async function postNow(id, token) {
  const response = await fetch(`${target.url}/api/v1/posts/${id}`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200);
  return { post: (await response.json()).data, etag: response.headers.get('etag') ?? '' };
}

/**
 * Signs in through the form as the target's admin, and waits for the page after it.
 * @param {import('playwright-core').Page} page
 */
async function signIn(page) {
  await page.goto('/sign-in');
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByRole('textbox', { name: 'Email or username' }).fill(target.login);
  await form.getByLabel('Password', { exact: false }).and(page.locator('input')).fill(target.password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname !== '/sign-in');
  await pageHeading(page);
}

/** A PNG of one colour, `width` × `height` (RGB, 8 bits). */
function solidPng(width, height, [r, g, b]) {
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 2;
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [r, g, b]).flat())]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(Array.from({ length: height }, () => row)))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

test('editing a published post: the preview shows the new text before any save; a captioned image shows its caption, and the new one after an edit in the library', async () => {
  const { data: session } = await call('POST', '/api/v1/auth/login', {
    body: { login: target.login, password: target.password },
  });
  const token = session.accessToken;
  const word = randomBytes(3).toString('hex');

  // An image with alt text and a caption, in a published post (set up through the API).
  const upload = new FormData();
  upload.append('file', new Blob([solidPng(600, 400, [30, 90, 160])], { type: 'image/png' }), 'quay.png');
  const uploaded = await fetch(`${target.url}/api/v1/media`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: upload,
  });
  assert.equal(uploaded.status, 201, await uploaded.clone().text());
  const media = (await uploaded.json()).data;
  await call('PATCH', `/api/v1/media/${media.id}`, {
    token,
    body: { altText: 'The quay at low tide', caption: `The quay at low tide, ${word}` },
  });
  const body = `The boats wait for the water.\n\n![](media:${media.id})\n\nThen the tide comes back.`;
  const { data: made } = await call('POST', '/api/v1/posts', {
    token,
    body: { title: `Low tide ${word}`, body },
    expect: 201,
  });
  const { data: published } = await call('POST', `/api/v1/posts/${made.id}/publish`, { token });

  // bypassCSP: axe is injected as an inline script (the CSP itself is smoke.e2e.mjs's).
  const context = await browser.newContext({
    baseURL: target.url,
    viewport: { width: 1280, height: 1000 },
    bypassCSP: true,
  });
  context.setDefaultTimeout(TIMEOUT_MS);
  const page = await context.newPage();
  /** @type {string[]} */
  const errors = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  try {
    await signIn(page);

    // The published post: the image in a figure, its caption under it.
    await navigateInApp(page, `/posts/${made.slug}`);
    await pageHeading(page, `Low tide ${word}`);
    const figure = page.getByRole('figure', { name: `The quay at low tide, ${word}` });
    await figure.waitFor();
    assert.equal(await figure.getByRole('img', { name: 'The quay at low tide' }).count(), 1);
    // The caption's quieter text still reads well enough, in both schemes.
    await assertAxeCleanInBothSchemes(page, 'a post with a captioned image');

    // The caption edited in the library reaches the post.
    await call('PATCH', `/api/v1/media/${media.id}`, { token, body: { caption: `Boats afloat again, ${word}` } });
    await page.reload();
    await pageHeading(page, `Low tide ${word}`);
    await page.getByRole('figure', { name: `Boats afloat again, ${word}` }).waitFor();

    // The editor of the published post: new text, shown by the preview before any save.
    await navigateInApp(page, `/write/${made.id}`);
    await pageHeading(page, 'Edit post');
    const text = page.getByRole('textbox', { name: /^Text \(Markdown\)/ });
    await text.fill(`${body}\n\n## Evening ${word}\n\nThe gulls come home.`);
    await page.getByRole('tab', { name: 'Preview' }).click();
    const preview = page.getByTestId('preview-body');
    await preview.getByRole('heading', { level: 2, name: `Evening ${word}` }).waitFor();
    await preview.getByRole('figure', { name: `Boats afloat again, ${word}` }).waitFor();
    await page
      .getByTestId('preview-status')
      .getByText(/to read\.$/)
      .waitFor();
    // Nothing was saved: the published post is as it was.
    const stored = (await postNow(made.id, token)).post;
    assert.equal(stored.body, body);
    assert.equal(stored.version, published.version, 'the post is the version that was published');

    assert.deepEqual(errors, [], errors.join('\n'));
  } finally {
    await context.close();
  }
});

test('autosave, the unsaved-changes guard, a conflict kept mine, scheduling in the local zone, publish/unpublish/archive, a revision restored', async () => {
  const { data: session } = await call('POST', '/api/v1/auth/login', {
    body: { login: target.login, password: target.password },
  });
  const token = session.accessToken;
  const word = randomBytes(3).toString('hex');
  const title = `Tides ${word}`;
  const firstBody = '## Morning\n\nThe harbour fills before dawn.';

  const context = await browser.newContext({
    baseURL: target.url,
    viewport: { width: 1280, height: 1000 },
    timezoneId: ZONE,
    locale: 'en-GB',
  });
  context.setDefaultTimeout(TIMEOUT_MS);
  const page = await context.newPage();
  /** @type {string[]} */
  const errors = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  try {
    await signIn(page);
    await navigateInApp(page, '/write/new');
    await pageHeading(page, 'New post');

    // Autosave: no button pressed, the draft gets its address and says when it was saved.
    const body = page.getByRole('textbox', { name: /^Text \(Markdown\)/ });
    const saveStatus = page.getByTestId('save-status');
    await page.getByRole('textbox', { name: /^Title/ }).fill(title);
    await body.fill(firstBody);
    await page.waitForURL((url) => /^\/write\/[0-9a-f-]{36}$/.test(url.pathname), { timeout: 20_000 });
    await saveStatus.getByText(/^Saved at /).waitFor();
    const id = new URL(page.url()).pathname.split('/').pop() ?? '';
    assert.equal((await postNow(id, token)).post.body, firstBody);

    // The guard: leaving right after typing asks first; staying keeps the text on screen.
    await body.fill(`${firstBody}\n\nThe boats lift.`);
    await page.getByRole('link', { name: 'My posts' }).first().click();
    const guard = page.getByRole('dialog', { name: 'Leave without saving?' });
    await guard.getByRole('button', { name: 'Stay and keep editing' }).click();
    await guard.waitFor({ state: 'hidden' });
    assert.match(new URL(page.url()).pathname, /^\/write\/[0-9a-f-]{36}$/);
    await saveStatus.getByText(/^Saved at /).waitFor({ timeout: 20_000 });
    const secondBody = `${firstBody}\n\nThe boats lift.`;
    assert.equal((await postNow(id, token)).post.body, secondBody);

    // A save made elsewhere (another tab, a colleague) meanwhile: the conflict screen, then "Keep mine".
    const before = await postNow(id, token);
    const response = await fetch(`${target.url}/api/v1/posts/${id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'if-match': before.etag },
      body: JSON.stringify({ title: `${title} (their edit)` }),
    });
    assert.equal(response.status, 200, await response.text());
    const mineBody = `${secondBody}\n\nGulls follow them out.`;
    await body.fill(mineBody);
    const conflict = page.getByRole('region', { name: 'Someone else saved this post while you were editing' });
    await conflict.waitFor({ timeout: 20_000 });
    await conflict.getByRole('region', { name: 'Your version' }).waitFor();
    await conflict.getByText(`${title} (their edit)`).first().waitFor();
    await conflict.getByRole('button', { name: 'Keep mine' }).click();
    await notified(page, 'Draft saved.');
    await conflict.waitFor({ state: 'detached' });
    const kept = (await postNow(id, token)).post;
    assert.equal(kept.title, title, 'my title replaced theirs');
    assert.equal(kept.body, mineBody);

    // Schedule: the 15th of next month at 00:00 as the picker shows it, in Paris time.
    const publishing = page.getByRole('region', { name: 'Publishing' });
    await publishing.getByRole('button', { name: 'Schedule', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Schedule publication' });
    await dialog.getByRole('button', { name: /Publish at/ }).click();
    await page.getByRole('button', { name: 'Next month' }).click();
    // Day buttons are named by their date ("15 December 2026").
    await page.getByRole('button', { name: /^15 \p{L}+ \d{4}$/u }).click();
    await page.getByRole('button', { name: 'Use this date and time' }).click();
    await dialog.getByRole('button', { name: 'Schedule', exact: true }).click();
    await notified(page, /^Scheduled for /);
    await publishing.getByText(/^Goes live /).waitFor();
    const scheduled = (await postNow(id, token)).post;
    assert.equal(scheduled.status, 'scheduled');
    const inParis = new Intl.DateTimeFormat('en-GB', {
      timeZone: ZONE,
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(scheduled.scheduledAt));
    assert.equal(inParis, '15, 00:00', `scheduled for ${scheduled.scheduledAt}: 15th at midnight in Paris`);

    // Cancel the schedule; publish; unpublish; publish again; archive.
    await publishing.getByRole('button', { name: 'Cancel schedule' }).click();
    await notified(page, 'Post taken back to draft.');
    await publishing.getByRole('button', { name: 'Publish', exact: true }).click();
    await notified(page, 'Post published.');
    await publishing.getByRole('button', { name: 'Unpublish' }).click();
    await notified(page, 'Post taken back to draft.');
    assert.equal((await postNow(id, token)).post.status, 'draft');
    await publishing.getByRole('button', { name: 'Publish', exact: true }).click();
    await notified(page, 'Post published.');
    await publishing.getByRole('button', { name: 'Archive' }).click();
    await notified(page, 'Post archived.');
    assert.equal((await postNow(id, token)).post.status, 'archived');

    // Revisions: the first save, shown as a diff against the one after it, restored.
    await page.getByRole('link', { name: 'Revisions of this post' }).click();
    await pageHeading(page, `Revisions of “${title}”`);
    const { data: revisions } = await call('GET', `/api/v1/posts/${id}/revisions`, { token });
    assert.ok(revisions.length >= 3, `revisions kept: ${revisions.length}`);
    const oldest = revisions.at(-1);
    const saves = page.getByRole('list', { name: 'Saves, newest first' });
    await saves.getByRole('link').last().click();
    await page.waitForURL((url) => url.pathname.endsWith(`/revisions/${oldest.id}`));
    await pageSettled(page);
    const diff = page.getByTestId('revision-diff');
    await diff.waitFor();
    await page.getByRole('button', { name: 'Restore this revision' }).click();
    await page.getByRole('dialog', { name: 'Restore this revision?' }).getByRole('button', { name: 'Restore' }).click();
    await notified(page, /is back in the post\.$/);
    const { data: oldestSaved } = await call('GET', `/api/v1/posts/${id}/revisions/${oldest.id}`, { token });
    const restored = (await postNow(id, token)).post;
    assert.equal(restored.body, oldestSaved.body, 'the oldest save’s text is back');
    assert.notEqual(restored.body, mineBody);

    assert.deepEqual(errors, [], errors.join('\n'));
  } finally {
    await context.close();
  }
});
