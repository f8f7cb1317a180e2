// The media library of the built SPA against the REAL running API (embedded mode):
//   BASE_URL=http://127.0.0.1:3000 ADMIN_LOGIN=admin@example.com ADMIN_PASSWORD=… \
//     node --test apps/web/e2e/media.e2e.mjs
// The admin (verified, with posts:create) signs in through the form, writes a post, uploads a PNG
// (made here, byte by byte) through the editor's image picker, gives its alt text, inserts it at the
// cursor, picks it as the cover too, publishes the post, and the post's page shows both as responsive
// <img> (srcset, width, height) with that alt text. /media lists it; deleting it is refused while
// the post shows it. /media and the editor with the picker open pass axe in both schemes and do
// not scroll sideways at 390 and 320 px. Without the admin's credentials the test starts an
// embedded API of its own, with an admin it makes up. SHOTS_DIR=… also writes screenshots there.
/* global document */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';

import {
  adminTarget,
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
let target = { url: BASE_URL, login: '', password: '', stop: async () => {} };

before(async () => {
  browser = await launchBrowser();
  target = await adminTarget('media-admin');
});

after(async () => {
  await browser?.close();
  await target.stop();
});

/**
 * A valid PNG (RGB, 8 bits) of `width` × `height`: a sky-to-sea gradient, with `seed` in it so that
 * each run uploads an image of its own.
 */
function pngImage(width, height, seed) {
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
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    rows[row] = 0; // no filter
    for (let x = 0; x < width; x++) {
      const at = row + 1 + x * 3;
      const sea = y > height * 0.6;
      rows[at] = sea ? 20 : 120 + Math.round((y / height) * 100);
      rows[at + 1] = sea ? 60 + ((x + seed) % 40) : 160 + Math.round((x / width) * 60);
      rows[at + 2] = sea ? 120 : 230;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

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

/** Toasts slide in from the edge: they are not the page, and close by themselves. */
async function toastsGone(page) {
  await page.waitForFunction(() => !document.querySelector('.mantine-Notification-root'), null, { timeout: 15_000 });
}

/**
 * No sideways scroll, nothing outside the viewport, at 390 and 320 px.
 * @param {import('playwright-core').Page} page
 * @param {string} where
 */
async function assertFitsPhoneWidths(page, where) {
  await toastsGone(page);
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

/**
 * Screenshots at 1280 and 390 px, light and dark, when SHOTS_DIR is set (to look at; not compared).
 * @param {import('playwright-core').Page} page
 * @param {string} name
 */
async function screenshots(page, name) {
  const dir = process.env.SHOTS_DIR;
  if (!dir) return;
  await mkdir(dir, { recursive: true });
  await toastsGone(page);
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 800 });
    for (const scheme of /** @type {const} */ (['light', 'dark'])) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.waitForTimeout(250);
      await page.screenshot({ path: join(dir, `${name}-${width}-${scheme}.png`), fullPage: true });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 800 });
}

test('an author uploads an image through the editor’s picker, describes it, inserts it and makes it the cover; the published post shows both responsively with their alt text', async () => {
  const word = `skerry${randomBytes(3).toString('hex')}`;
  const title = `Harbour light ${word}`;
  const alt = `The harbour light ${word} at dusk, its beam over a calm sea`;
  const { context, page, errors } = await newContext();
  try {
    await page.goto('/sign-in');
    const form = page.getByRole('form', { name: 'Sign in' });
    await form.getByRole('textbox', { name: 'Email or username' }).fill(target.login);
    await form.getByLabel('Password', { exact: false }).and(page.locator('input')).fill(target.password);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname !== '/sign-in');

    // The library is reached from My posts.
    await page
      .getByRole('banner')
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Write' })
      .click();
    await pageHeading(page, 'My posts');
    await page.getByRole('main').getByRole('link', { name: 'New post', exact: true }).click();
    await pageHeading(page, 'New post');
    await page.getByRole('textbox', { name: /^Title/ }).fill(title);
    const body = page.getByRole('textbox', { name: /^Text \(Markdown\)/ });
    await body.fill('Twice a day the harbour at Stromness fills and empties.\n\n## The light\n\nIt turns all night.');
    // The cursor after the heading's line: the image goes there.
    await body.evaluate((element) => {
      const textarea = /** @type {HTMLTextAreaElement} */ (element);
      const at = textarea.value.indexOf('## The light') + '## The light'.length;
      textarea.focus();
      textarea.setSelectionRange(at, at);
    });

    await page.getByRole('toolbar', { name: 'Formatting' }).getByRole('button', { name: 'Image' }).click();
    const picker = page.getByRole('dialog', { name: 'Insert an image' });
    await picker.waitFor();
    await pageSettled(page);
    await assertAxeCleanInBothSchemes(page, 'the editor with the image picker open');
    await screenshots(page, 'picker');

    await picker.locator('input[type="file"]').setInputFiles({
      name: 'harbour-light.png',
      mimeType: 'image/png',
      buffer: pngImage(1200, 800, Number.parseInt(word.slice(-6), 16) % 97),
    });
    const altField = picker.getByRole('textbox', { name: /^Alt text/ });
    await altField.waitFor();
    // Required: "Insert image" without it is refused at the field.
    await picker.getByRole('button', { name: 'Insert image' }).click();
    await picker.getByText('Describe what the image shows', { exact: false }).first().waitFor();
    assert.equal(await altField.getAttribute('aria-invalid'), 'true');
    await assertAxeCleanInBothSchemes(page, 'the picker asking for alt text');
    await screenshots(page, 'picker-describe');
    await altField.fill(alt);
    await picker.getByRole('button', { name: 'Insert image' }).click();
    await picker.waitFor({ state: 'detached' });

    const text = await body.inputValue();
    const inserted = /!\[([^\]]*)\]\(media:([0-9a-f-]{36})\)/.exec(text);
    assert.ok(inserted, `no media image in the text:\n${text}`);
    assert.equal(inserted[1], alt);
    assert.ok(text.indexOf('## The light') < inserted.index && inserted.index < text.indexOf('It turns all night.'));
    // Focus is back in the text, right after the image.
    assert.equal(await body.evaluate((element) => element === document.activeElement), true);

    // The same image as the cover, chosen from the library.
    const cover = page.getByRole('group', { name: 'Cover image' });
    await cover.getByRole('button', { name: 'Choose a cover image' }).click();
    const coverPicker = page.getByRole('dialog', { name: 'Choose a cover image' });
    await coverPicker.getByRole('button', { name: `Choose the image ${alt}` }).click();
    await coverPicker.getByRole('button', { name: 'Use as cover' }).click();
    await coverPicker.waitFor({ state: 'detached' });
    await cover.getByText(`Alt text: ${alt}`).waitFor();

    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL((url) => /^\/write\/[0-9a-f-]{36}$/.test(url.pathname));
    await page
      .getByTestId('save-status')
      .getByText(/^Saved at /)
      .waitFor();
    await pageSettled(page);
    await assertAxeCleanInBothSchemes(page, 'the editor with an image and a cover');
    await assertFitsPhoneWidths(page, 'the editor with an image and a cover');
    await screenshots(page, 'editor');

    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByText('Post published.').waitFor();
    await page.getByRole('link', { name: 'View the post' }).click();
    await pageHeading(page, title);

    const article = page.getByRole('article', { name: title });
    const pictures = await article.locator('img').evaluateAll((images) =>
      images.map((image) => ({
        alt: image.getAttribute('alt'),
        srcset: image.getAttribute('srcset') ?? '',
        width: image.getAttribute('width'),
        height: image.getAttribute('height'),
        inBody: Boolean(image.closest('[data-testid="post-body"]')),
      })),
    );
    const inBody = pictures.find((picture) => picture.inBody);
    const coverImage = pictures.find((picture) => !picture.inBody && picture.alt === alt);
    assert.ok(inBody, `no image in the post's body: ${JSON.stringify(pictures)}`);
    assert.equal(inBody.alt, alt);
    assert.match(inBody.srcset, /\/api\/v1\/media\/files\/\S+ 480w/);
    assert.equal(inBody.width, '1200');
    assert.equal(inBody.height, '800');
    assert.ok(coverImage, `no cover above the post: ${JSON.stringify(pictures)}`);
    assert.match(coverImage.srcset, / 960w/);
    // The variants load (public, cacheable).
    const loaded = await article.locator('[data-testid="post-body"] img').evaluate((image) =>
      /** @type {HTMLImageElement} */ (image).decode().then(
        () => true,
        () => false,
      ),
    );
    assert.equal(loaded, true);
    await pageSettled(page);
    await assertAxeCleanInBothSchemes(page, 'the post with its images');
    await assertFitsPhoneWidths(page, 'the post with its images');
    await screenshots(page, 'post');

    // In the feed, the post's card shows the cover (decoration there: the title names the post).
    await page.goto('/posts');
    await pageHeading(page, 'Latest posts');
    const feedCover = page.getByRole('article', { name: title }).locator('img');
    assert.match((await feedCover.getAttribute('srcset')) ?? '', / 480w/);
    assert.equal(await feedCover.getAttribute('alt'), '');
    await screenshots(page, 'feed');

    // The library lists it with its alt text; deleting it is refused while the post shows it.
    await page.goto('/media');
    await pageHeading(page, 'Media library');
    const card = page.getByRole('list', { name: 'Images' }).getByRole('listitem').filter({ hasText: alt });
    await card.getByText('Shown in 1 post').waitFor();
    await pageSettled(page);
    await assertAxeCleanInBothSchemes(page, '/media');
    await assertFitsPhoneWidths(page, '/media');
    await screenshots(page, 'media');

    // Its description, edited: the dialog is accessible too.
    await card.getByRole('button', { name: `Edit description of the image “${alt}”` }).click();
    const describe = page.getByRole('dialog', { name: 'Describe the image' });
    assert.equal(await describe.getByRole('textbox', { name: /^Alt text/ }).inputValue(), alt);
    await assertAxeCleanInBothSchemes(page, '/media, describing an image');
    await screenshots(page, 'media-describe');
    await describe.getByRole('button', { name: 'Cancel' }).click();
    await describe.waitFor({ state: 'detached' });

    await card.getByRole('button', { name: `Delete the image “${alt}”` }).click();
    const question = page.getByRole('dialog', { name: 'Delete this image?' });
    await question.getByRole('button', { name: 'Delete image' }).click();
    await question.getByRole('alert').getByText('Posts still show this image').waitFor();
    await question.getByRole('button', { name: 'Delete anyway' }).waitFor();
    await assertAxeCleanInBothSchemes(page, '/media, a deletion refused');
    await screenshots(page, 'media-delete-refused');
    await question.getByRole('button', { name: 'Keep it' }).click();
    await question.waitFor({ state: 'detached' });
    await card.waitFor();
    assert.deepEqual(errors, [], errors.join('\n'));
  } catch (error) {
    throw await withPageState(page, 'media-picker', error);
  } finally {
    await context.close();
  }
});
