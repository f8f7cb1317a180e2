// Accessibility preferences and the data export of the built SPA against the REAL running API:
//   BASE_URL=http://127.0.0.1:3000 ADMIN_LOGIN=admin@example.com ADMIN_PASSWORD=… \
//     node --test apps/web/e2e/settings.e2e.mjs
// The admin (ADMIN_LOGIN or ADMIN_EMAIL, and ADMIN_PASSWORD) signs in, chooses dark + high contrast
// + spacious on the Accessibility page and reloads: the document already has them before the app's
// code runs (no flash of the wrong theme). An export of their data reaches "done" and its link gives
// a zip. axe on both pages in light, dark and high contrast (both schemes); nothing scrolls sideways
// at 390 px. The admin's preferences are put back afterwards. Without the admin's credentials the
// test starts an embedded API of its own, with an admin it makes up.
/* global document, window, MutationObserver, requestAnimationFrame -- in functions that run in the page */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, test } from 'node:test';

import {
  adminTarget,
  apiCaller,
  axeViolations,
  BASE_URL,
  describeViolations,
  horizontalOverflow,
  launchBrowser,
  pageHeading,
  pageSettled,
  TIMEOUT_MS,
} from './browser.mjs';

/** Screenshots for a person to look at (not compared): SHOTS_DIR=/tmp/shots/settings. */
const SHOTS_DIR = process.env.SHOTS_DIR;

/** @type {import('playwright-core').Browser} */
let browser;
/** The API under test and its admin. */
let target = { url: BASE_URL, login: '', password: '', stop: async () => {} };

before(async () => {
  browser = await launchBrowser();
  target = await adminTarget('prefs-admin');
});

after(async () => {
  await browser?.close();
  await target.stop();
});

/** JSON calls to the API under test. */
const call = apiCaller(() => target);

/** What <html> says about the display preferences. */
const DOCUMENT_STATE = () => ({
  scheme: document.documentElement.getAttribute('data-mantine-color-scheme'),
  highContrast: document.documentElement.hasAttribute('data-high-contrast'),
  density: document.documentElement.getAttribute('data-density'),
});

/**
 * axe on the page as it is now in light, dark, and high contrast in both: no serious or critical finding.
 * The attributes are set as the app sets them (lib/preferences.ts), then the saved ones are put back.
 * @param {import('playwright-core').Page} page
 * @param {string} where
 */
async function assertAxeClean(page, where) {
  const saved = await page.evaluate(DOCUMENT_STATE);
  const problems = [];
  for (const [scheme, highContrast] of /** @type {const} */ ([
    ['light', false],
    ['dark', false],
    ['light', true],
    ['dark', true],
  ])) {
    await page.evaluate(
      ([s, hc]) => {
        document.documentElement.setAttribute('data-mantine-color-scheme', s);
        document.documentElement.toggleAttribute('data-high-contrast', hc);
      },
      [scheme, highContrast],
    );
    // Colour transitions (buttons, inputs: 100 ms at most) have ended.
    await page.waitForTimeout(200);
    const state = `${scheme}${highContrast ? ', high contrast' : ''}`;
    if (SHOTS_DIR) {
      await page.screenshot({
        path: `${SHOTS_DIR}/${where.replace(/\W+/g, '_')}-${state.replace(/\W+/g, '_')}.png`,
        fullPage: true,
      });
    }
    const { blocking } = await axeViolations(page);
    if (blocking.length > 0) problems.push(`${where} (${state}):\n${describeViolations(blocking)}`);
  }
  await page.evaluate(([s, hc]) => {
    document.documentElement.setAttribute('data-mantine-color-scheme', s ?? 'light');
    document.documentElement.toggleAttribute('data-high-contrast', hc);
  }, /** @type {const} */ ([saved.scheme, saved.highContrast]));
  assert.deepEqual(problems, [], problems.join('\n'));
}

/**
 * Nothing sticks out sideways at 390 px and the page does not scroll sideways.
 * @param {import('playwright-core').Page} page
 * @param {string} where
 */
async function assertFitsPhone(page, where) {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const found = await horizontalOverflow(page);
  const problems = [];
  if (found.scrollWidth > found.width) problems.push(`scrolls sideways (${found.scrollWidth} px)`);
  for (const element of found.outside) problems.push(`outside the viewport: ${element}`);
  for (const label of found.truncated) problems.push(`label cut short: ${label}`);
  if (SHOTS_DIR) await page.screenshot({ path: `${SHOTS_DIR}/${where.replace(/\W+/g, '_')}-390.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  assert.deepEqual(problems, [], `${where} at 390 px:\n${problems.join('\n')}`);
}

test('accessibility preferences apply from the first paint after a reload; an export gives a zip; both pages accessible', async () => {
  if (SHOTS_DIR) await mkdir(SHOTS_DIR, { recursive: true });
  // The admin's preferences as they were, to put back at the end (a shared instance's admin).
  const { data: session } = await call('POST', '/api/v1/auth/login', {
    body: { login: target.login, password: target.password },
  });
  const before = session.user.preferences ?? {};

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
  // Records <html>'s attributes when <body> starts (only the scripts of <head> have run: the app's
  // bundle is a module, run after parsing) and at DOMContentLoaded.
  await context.addInitScript(() => {
    const read = () => ({
      scheme: document.documentElement.getAttribute('data-mantine-color-scheme'),
      highContrast: document.documentElement.hasAttribute('data-high-contrast'),
      density: document.documentElement.getAttribute('data-density'),
      appStarted: Boolean(document.getElementById('root')?.childElementCount),
    });
    const observer = new MutationObserver(() => {
      if (document.body) {
        observer.disconnect();
        // @ts-expect-error a test's own global
        window.__atBody = read();
      }
    });
    observer.observe(document, { childList: true, subtree: true });
    document.addEventListener('DOMContentLoaded', () => {
      // @ts-expect-error a test's own global
      window.__atDomContentLoaded = read();
    });
  });

  try {
    await page.goto('/sign-in');
    const signIn = page.getByRole('form', { name: 'Sign in' });
    await signIn.getByRole('textbox', { name: 'Email or username' }).fill(target.login);
    await signIn.getByLabel('Password', { exact: false }).and(page.locator('input')).fill(target.password);
    await signIn.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname !== '/sign-in');

    // The footer's link leads a signed-in user to the settings tab.
    await page.getByRole('contentinfo').getByRole('link', { name: 'Accessibility and display' }).click();
    await page.waitForURL((url) => url.pathname === '/settings/accessibility');
    await pageHeading(page, 'Accessibility');
    const form = page.getByRole('form', { name: 'Accessibility and display' });
    await form.getByRole('radio', { name: 'Dark' }).check();
    await form.getByRole('checkbox', { name: 'High contrast' }).check();
    await form.getByRole('radio', { name: 'Spacious' }).check();
    await form.getByRole('button', { name: 'Save accessibility settings' }).click();
    await page.getByText('Accessibility settings saved to your account.').waitFor();
    assert.deepEqual(await page.evaluate(DOCUMENT_STATE), { scheme: 'dark', highContrast: true, density: 'spacious' });

    // Stored with the account.
    const { data: me } = await call('GET', '/api/v1/auth/me', { token: session.accessToken });
    assert.equal(me.preferences.highContrast, true);
    assert.equal(me.preferences.density, 'spacious');
    assert.equal(me.preferences.colorScheme, 'dark');

    // A reload paints with them at once: set before the app's code ran.
    await page.reload();
    await pageHeading(page, 'Accessibility');
    const atBody = await page.evaluate(() => /** @type {any} */ (window).__atBody);
    const atLoaded = await page.evaluate(() => /** @type {any} */ (window).__atDomContentLoaded);
    assert.deepEqual(atBody, { scheme: 'dark', highContrast: true, density: 'spacious', appStarted: false });
    assert.deepEqual(
      { scheme: atLoaded.scheme, highContrast: atLoaded.highContrast, density: atLoaded.density },
      { scheme: 'dark', highContrast: true, density: 'spacious' },
    );
    // The thicker focus ring and the stronger text are the high-contrast theme's.
    const look = await page.evaluate(() => {
      const style = window.getComputedStyle(document.body);
      return { color: style.color, background: style.backgroundColor };
    });
    assert.deepEqual(look, { color: 'rgb(255, 255, 255)', background: 'rgb(0, 0, 0)' });
    await pageSettled(page);
    await assertAxeClean(page, 'settings-accessibility');
    await assertFitsPhone(page, 'settings-accessibility');

    // The data export: started, polled, done; the link gives a zip.
    await page.goto('/settings/account');
    await pageHeading(page, 'Account');
    const exportSection = page.getByRole('region', { name: 'Export your data' });
    await exportSection.getByRole('button', { name: /^Export my data/ }).click();
    await page.getByText('Export started. We also mail you when it is ready.').waitFor();
    const download = exportSection.getByRole('link', { name: /^Download your data \(zip/ });
    await download.waitFor({ timeout: 120_000 });
    const href = await download.getAttribute('href');
    assert.ok(href, 'the download link has an address');
    const firstBytes = await page.evaluate(async (url) => {
      const response = await fetch(url);
      const bytes = new Uint8Array(await response.arrayBuffer());
      return { status: response.status, start: String.fromCharCode(bytes[0], bytes[1]) };
    }, href);
    assert.deepEqual(firstBytes, { status: 200, start: 'PK' });
    assert.match((await exportSection.textContent()) ?? '', /The link works until/);
    // The export the mail links to.
    const { data: exports } = await call('GET', '/api/v1/me/exports', { token: session.accessToken });
    assert.equal(exports[0].status, 'done');
    assert.equal(exports[0].progress, 100);
    await page.goto(`/settings/account?export=${exports[0].id}`);
    await exportSection.getByRole('link', { name: /^Download your data/ }).waitFor();
    assert.equal(await exportSection.getByRole('link', { name: /^Download your data/ }).getAttribute('href'), href);
    await assertAxeClean(page, 'settings-account');
    await assertFitsPhone(page, 'settings-account');

    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    // Put the admin's preferences back.
    await call('PATCH', '/api/v1/me', { token: session.accessToken, body: { preferences: before } });
  }
});

test('a visitor keeps the preferences on this device: applied before the first paint of the next visit', async () => {
  const context = await browser.newContext({
    baseURL: target.url,
    viewport: { width: 1280, height: 800 },
    bypassCSP: true,
    colorScheme: 'light',
  });
  context.setDefaultTimeout(TIMEOUT_MS);
  const page = await context.newPage();
  try {
    await page.goto('/accessibility');
    await pageHeading(page, 'Accessibility');
    const form = page.getByRole('form', { name: 'Accessibility and display' });
    await form.getByRole('checkbox', { name: 'High contrast' }).check();
    await form.getByRole('radio', { name: 'Compact' }).check();
    await form.getByRole('combobox', { name: /Highest reading level/ }).selectOption('8');
    await form.getByRole('button', { name: 'Save accessibility settings' }).click();
    await page.getByText('Accessibility settings saved on this device.').waitFor();

    // The next visit: set by public/preferences.js before <body>.
    await context.addInitScript(() => {
      const observer = new MutationObserver(() => {
        if (document.body) {
          observer.disconnect();
          // @ts-expect-error a test's own global
          window.__atBody = {
            highContrast: document.documentElement.hasAttribute('data-high-contrast'),
            density: document.documentElement.getAttribute('data-density'),
          };
        }
      });
      observer.observe(document, { childList: true, subtree: true });
    });
    await page.goto('/posts');
    await pageHeading(page, 'Latest posts');
    assert.deepEqual(await page.evaluate(() => /** @type {any} */ (window).__atBody), {
      highContrast: true,
      density: 'compact',
    });
    // The feed says it is narrowed by the preference.
    await page.getByText('Showing posts up to grade 8 — your preference.').waitFor();
    await assertAxeClean(page, 'posts-preferred-level');
  } finally {
    await context.close();
  }
});
