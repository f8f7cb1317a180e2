// Phone-sized layout of the built SPA against the REAL running API (embedded mode):
//   BASE_URL=http://127.0.0.1:3000 DATA_DIR=/path/to/the/api/data node --test apps/web/e2e/layout.e2e.mjs
// At 320, 390 and 768 px, on every public page and (signed in) every settings page: no visible
// control sticks out of the viewport sideways, the page does not scroll sideways, no button label
// is cut short; the header's fold-out menu opens and everything in it can be reached.
/* global document, requestAnimationFrame -- in functions that run in the page */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  animationsEnded,
  horizontalOverflow,
  launchBrowser,
  navigateInApp,
  openCheckContext,
  pageHeading,
  pageSettled,
  PUBLIC_PAGES,
  sharedVerifiedAccount,
  signedInPages,
  signInThroughForm,
} from './browser.mjs';

const WIDTHS = [320, 390, 768];

/** @type {import('playwright-core').Browser} */
let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/**
 * Checks the page as it is at each width (phone height), then goes back to 1280 px.
 * @param {import('playwright-core').Page} page
 * @param {string} where
 */
async function assertFitsAtEveryWidth(page, where) {
  const problems = [];
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 844 });
    // One frame for the container query and the layout to follow the new width.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const found = await horizontalOverflow(page);
    if (found.scrollWidth > found.width)
      problems.push(`${width} px: the page scrolls sideways (${found.scrollWidth} px wide)`);
    for (const element of found.outside) problems.push(`${width} px: outside the viewport: ${element}`);
    for (const label of found.truncated) problems.push(`${width} px: label cut short: ${label}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  assert.deepEqual(problems, [], `${where}:\n${problems.join('\n')}`);
}

test('public pages fit 320, 390 and 768 px: nothing off-screen, no sideways scrolling', async () => {
  const { context, page, errors } = await openCheckContext(browser);
  try {
    for (const { path, heading } of PUBLIC_PAGES) {
      await page.goto(path);
      await pageHeading(page, heading);
      await pageSettled(page);
      await assertFitsAtEveryWidth(page, path);
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the fold-out menu at 390 px: opens, shows every item inside the viewport, leads to the page, closes', async () => {
  const { context, page, errors } = await openCheckContext(browser, { viewport: { width: 390, height: 844 } });
  try {
    await page.goto('/');
    await pageHeading(page);
    const banner = page.getByRole('banner');
    // The header's own controls are folded away: only the brand and the burger are left.
    for (const name of ['Sign in', 'Sign up', 'Posts', 'Status', 'API docs']) {
      assert.equal(await banner.getByRole('link', { name }).isVisible(), false, `"${name}" is folded into the menu`);
    }
    const burger = banner.getByRole('button', { name: 'Menu' });
    assert.equal(await burger.getAttribute('aria-expanded'), 'false');

    // Keyboard: Enter opens it, and Tab reaches every item in turn.
    await burger.focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('dialog', { name: 'Menu' });
    await menu.waitFor();
    // Measured where it stops, not while it slides in.
    await animationsEnded(page);
    assert.equal(await burger.getAttribute('aria-expanded'), 'true');
    const items = [
      menu.getByRole('button', { name: 'Close menu' }),
      menu.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Posts' }),
      menu.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Status' }),
      menu.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API docs' }),
      menu.getByRole('radio', { name: 'System' }),
      menu.getByRole('link', { name: 'Sign in' }),
      menu.getByRole('link', { name: 'Sign up' }),
    ];
    const viewport = { width: 390, height: 844 };
    for (const item of items) {
      const box = await item.boundingBox();
      assert.ok(box, `${item} is shown`);
      assert.ok(
        box.x >= 0 && box.x + box.width <= viewport.width,
        `${item} lies inside the viewport: ${JSON.stringify(box)}`,
      );
      assert.ok(
        box.y >= 0 && box.y + box.height <= viewport.height,
        `${item} lies inside the viewport: ${JSON.stringify(box)}`,
      );
    }
    const reached = [];
    for (let i = 0; i < 8; i += 1) {
      reached.push(
        await page.evaluate(() => {
          const element = document.activeElement;
          return `${element?.getAttribute('aria-label') ?? element?.textContent?.trim()}`;
        }),
      );
      await page.keyboard.press('Tab');
    }
    for (const name of ['Close menu', 'Posts', 'Status', 'API docs', 'Sign in', 'Sign up']) {
      assert.ok(reached.includes(name), `Tab reaches "${name}" in the menu (reached: ${reached.join(', ')})`);
    }
    assert.deepEqual((await horizontalOverflow(page)).outside, [], 'nothing in the open menu is off-screen');

    // Escape closes it and gives focus back to the burger.
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Menu');

    // Following a link closes it and leads to the page.
    await burger.click();
    await menu.getByRole('link', { name: 'Sign up' }).click();
    await page.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor();
    await menu.waitFor({ state: 'detached' });
    assert.equal(await burger.getAttribute('aria-expanded'), 'false');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('signed in, home, own profile and every settings page fit 320, 390 and 768 px; session and token actions wrap, not truncate', async () => {
  const account = await sharedVerifiedAccount();
  const { context, page, errors } = await openCheckContext(browser);
  try {
    await signInThroughForm(page, account);
    for (const { path, heading, list, action } of signedInPages(account.username)) {
      // In the app, not a full load: each load would start a session from the cookie again.
      if (new URL(page.url()).pathname !== path) await navigateInApp(page, path);
      await pageHeading(page, heading);
      if (list && action) {
        // The rows' actions are there to be measured ("End s…", "Rev…" before).
        await page.getByRole('list', { name: list }).getByRole('button', { name: action }).first().waitFor();
      }
      await pageSettled(page);
      await assertFitsAtEveryWidth(page, path);
    }

    // Signed in, the menu holds the account's links.
    await page.setViewportSize({ width: 320, height: 844 });
    await page.getByRole('banner').getByRole('button', { name: 'Menu' }).click();
    const menu = page.getByRole('dialog', { name: 'Menu' });
    await menu.getByText(account.username).waitFor();
    await animationsEnded(page);
    for (const item of [menu.getByRole('link', { name: 'Settings' }), menu.getByRole('button', { name: 'Sign out' })]) {
      const box = await item.boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 320, `${item} lies inside the viewport`);
    }
    assert.deepEqual((await horizontalOverflow(page)).outside, [], 'nothing in the open menu is off-screen');
    await page.keyboard.press('Escape');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
