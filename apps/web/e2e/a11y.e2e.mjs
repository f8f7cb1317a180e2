// Accessibility of the built SPA against the REAL running API (embedded mode):
//   BASE_URL=http://127.0.0.1:3000 DATA_DIR=/path/to/the/api/data node --test apps/web/e2e/a11y.e2e.mjs
// axe (axe-core injected into the page) on every route, public and signed in, in the light and the
// dark scheme, with menus and a dialog open and a link hovered: no serious or critical violation,
// and nothing outside or duplicating the landmarks (every violation is reported). Keyboard: a
// client-side navigation lands focus on the new page's h1 and is announced. Focus rings on inputs,
// reduced motion, and the three-way colour scheme.
/* global document, window, getComputedStyle, CSSTransition -- in functions that run in the page */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  axeViolations,
  describeViolations,
  launchBrowser,
  openCheckContext,
  pageHeading,
  navigateInApp,
  pageSettled,
  PUBLIC_PAGES,
  SETTINGS_PAGES,
  sharedVerifiedAccount,
  signedInPages,
  signInThroughForm,
} from './browser.mjs';

const ANNOUNCER = '#route-announcer';

/** @type {import('playwright-core').Browser} */
let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/**
 * Collects axe's findings per state of a page; `assertClean` fails on any serious or critical one
 * and on any landmark rule (content outside landmarks, a dialog adding a second banner), and
 * reports every finding of any impact as a test diagnostic.
 */
function axeLog(t) {
  /** @type {{ where: string, violations: Awaited<ReturnType<typeof axeViolations>>['violations'] }[]} */
  const log = [];
  return {
    /** @param {import('playwright-core').Page} page @param {string} where */
    async check(page, where) {
      // Colours mid-transition (a menu fading in, a scheme switch) are not the page's colours:
      // wait until every CSS transition has ended (a menu opened just before read 1.28:1).
      await page.waitForFunction(() =>
        document
          .getAnimations()
          .every((animation) => !(animation instanceof CSSTransition) || animation.playState !== 'running'),
      );
      const { violations } = await axeViolations(page);
      log.push({ where, violations });
    },
    assertClean() {
      const all = log.filter(({ violations }) => violations.length > 0);
      // One diagnostic per line: TAP keeps each on a line of its own.
      for (const { where, violations } of all) {
        for (const line of `axe on ${where}:\n${describeViolations(violations)}`.split('\n')) t.diagnostic(line);
      }
      t.diagnostic(`axe ran on ${log.length} page states; ${all.length} with findings of any impact`);
      const failing = log
        .map(({ where, violations }) => ({
          where,
          violations: violations.filter(
            (v) =>
              v.impact === 'serious' || v.impact === 'critical' || v.id === 'region' || v.id.startsWith('landmark-'),
          ),
        }))
        .filter(({ violations }) => violations.length > 0);
      assert.deepEqual(
        failing.map(({ where, violations }) => `${where}: ${violations.map((v) => `${v.impact} ${v.id}`).join(', ')}`),
        [],
        failing.map(({ where, violations }) => `axe on ${where}:\n${describeViolations(violations)}`).join('\n'),
      );
    },
  };
}

/**
 * Switches the system colour scheme (the app follows it: "System" is the default) and waits for the page to follow.
 * @param {import('playwright-core').Page} page
 * @param {'light' | 'dark'} scheme
 */
async function useSystemScheme(page, scheme) {
  const current = await page.evaluate(() => document.documentElement.getAttribute('data-mantine-color-scheme'));
  await page.emulateMedia({ colorScheme: scheme });
  if (current === scheme) return;
  await page.waitForFunction(
    (expected) => document.documentElement.getAttribute('data-mantine-color-scheme') === expected,
    scheme,
  );
  // Colour transitions (buttons, inputs: 100 ms at most) have ended.
  await page.waitForTimeout(150);
}

/**
 * Both schemes, the one the page shows first: one switch per page.
 * @param {import('playwright-core').Page} page
 * @returns {Promise<('light' | 'dark')[]>}
 */
async function bothSchemes(page) {
  const current = await page.evaluate(() => document.documentElement.getAttribute('data-mantine-color-scheme'));
  return current === 'dark' ? ['dark', 'light'] : ['light', 'dark'];
}

/** @param {import('playwright-core').Page} page */
const focused = (page) =>
  page.evaluate(() => {
    const element = document.activeElement;
    return { tag: element?.tagName.toLowerCase(), text: element?.textContent?.trim() };
  });

/** @param {import('playwright-core').Page} page */
const announced = (page) => page.locator(ANNOUNCER).textContent();

test('axe and keyboard, signed in: home, own profile and every settings route in both schemes, the account menu and a dialog open', async (t) => {
  const axe = axeLog(t);
  const account = await sharedVerifiedAccount();
  const { context, page, errors } = await openCheckContext(browser, { colorScheme: 'light' });
  try {
    await signInThroughForm(page, account);
    // Home and the member's own public profile, signed in.
    for (const { path, heading } of signedInPages(account.username).filter((p) => !SETTINGS_PAGES.includes(p))) {
      if (new URL(page.url()).pathname !== path) await navigateInApp(page, path);
      await pageHeading(page, heading);
      await pageSettled(page);
      for (const scheme of await bothSchemes(page)) {
        await useSystemScheme(page, scheme);
        await axe.check(page, `${path} signed in (${scheme})`);
      }
    }
    await useSystemScheme(page, 'light');
    // Into settings by keyboard, through the account menu: focus lands on the page's heading.
    const accountButton = page.getByRole('banner').getByRole('button', { name: account.username });
    await accountButton.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('menuitem', { name: 'Settings' }).waitFor();
    await axe.check(page, '/ with the account menu open (light)');
    await page.getByRole('menuitem', { name: 'Settings' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Profile' }).waitFor();
    await page.waitForFunction(
      (selector) => document.querySelector(selector)?.textContent === 'Profile settings page',
      ANNOUNCER,
    );
    assert.deepEqual(await focused(page), { tag: 'h1', text: 'Profile' }, 'focus is on the new page’s heading');

    const sections = page.getByRole('navigation', { name: 'Settings' });
    for (const { path, heading, list } of SETTINGS_PAGES) {
      // Each section through its link in the sidebar, by keyboard (the profile page is open already).
      if (path !== '/settings/profile') {
        const before = await announced(page);
        await sections.getByRole('link', { name: heading }).focus();
        await page.keyboard.press('Enter');
        await pageHeading(page, heading);
        await page.waitForFunction(
          ([selector, previous]) => {
            const text = document.querySelector(selector)?.textContent;
            return Boolean(text) && text !== previous;
          },
          [ANNOUNCER, before],
        );
        assert.deepEqual(await focused(page), { tag: 'h1', text: heading }, `focus on the heading of ${path}`);
        assert.match((await announced(page)) ?? '', / page$/, `${path} is announced`);
      }
      if (list) await page.getByRole('list', { name: list }).waitFor();
      await pageSettled(page);
      for (const scheme of await bothSchemes(page)) {
        await useSystemScheme(page, scheme);
        await axe.check(page, `${path} (${scheme})`);
        if (path === '/settings/sessions') {
          // A confirmation dialog, and the account menu, open.
          await page.getByRole('button', { name: 'Sign out everywhere' }).click();
          await page.getByRole('dialog', { name: 'Sign out of every device?' }).waitFor();
          await page.waitForTimeout(300);
          await axe.check(page, `${path} with its confirmation dialog open (${scheme})`);
          await page.keyboard.press('Escape');
          await page.getByRole('dialog').waitFor({ state: 'detached' });
          await accountButton.click();
          await page.getByRole('menuitem', { name: 'Sign out' }).waitFor();
          await page.waitForTimeout(200);
          await axe.check(page, `${path} with the account menu open (${scheme})`);
          await page.keyboard.press('Escape');
          await page.getByRole('menu').waitFor({ state: 'detached' });
        }
      }
      // The high-contrast theme (Accessibility settings; app/preferences.css), in both schemes.
      await page.evaluate(() => document.documentElement.setAttribute('data-high-contrast', ''));
      for (const scheme of await bothSchemes(page)) {
        await useSystemScheme(page, scheme);
        await axe.check(page, `${path} high contrast (${scheme})`);
      }
      await page.evaluate(() => document.documentElement.removeAttribute('data-high-contrast'));
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
  axe.assertClean();
});

test('axe: every public route in both schemes, the fold-out menu open, the header link hovered', async (t) => {
  const axe = axeLog(t);
  const { context, page, errors } = await openCheckContext(browser, { colorScheme: 'light' });
  try {
    for (const { path, heading } of PUBLIC_PAGES) {
      await page.goto(path);
      await pageHeading(page, heading);
      await pageSettled(page);
      for (const scheme of await bothSchemes(page)) {
        await useSystemScheme(page, scheme);
        await axe.check(page, `${path} (${scheme})`);
      }
    }

    // The header's "Sign in" under the pointer: its hover colours must keep 4.5:1.
    await page.goto('/');
    await pageHeading(page);
    for (const scheme of /** @type {const} */ (['light', 'dark'])) {
      await useSystemScheme(page, scheme);
      await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).hover();
      await page.waitForTimeout(200);
      await axe.check(page, `/ with "Sign in" hovered (${scheme})`);
    }

    // The fold-out menu of a phone-sized header, open.
    await page.mouse.move(0, 400);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('banner').getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('dialog', { name: 'Menu' }).waitFor();
    await page.waitForTimeout(300);
    for (const scheme of /** @type {const} */ (['light', 'dark'])) {
      await useSystemScheme(page, scheme);
      await axe.check(page, `/ with the fold-out menu open (${scheme})`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
  axe.assertClean();
});

test('keyboard: a client-side navigation moves focus to the new page’s h1 and announces the page', async () => {
  const { context, page, errors } = await openCheckContext(browser);
  try {
    await page.goto('/');
    await pageHeading(page);
    assert.equal(await announced(page), '', 'nothing is announced on the first page');

    // A link that stays on screen (the header's).
    await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.waitForFunction(
      (selector) => document.querySelector(selector)?.textContent === 'Sign in page',
      ANNOUNCER,
    );
    assert.deepEqual(await focused(page), { tag: 'h1', text: 'Sign in' });

    // A link that goes away with its page (focus used to fall to <body>).
    await page.getByRole('main').getByRole('link', { name: 'Create an account' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor();
    await page.waitForFunction(
      (selector) => document.querySelector(selector)?.textContent === 'Sign up page',
      ANNOUNCER,
    );
    assert.deepEqual(await focused(page), { tag: 'h1', text: 'Create your account' });

    // Back in history.
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.waitForFunction(
      (selector) => document.querySelector(selector)?.textContent === 'Sign in page',
      ANNOUNCER,
    );
    assert.deepEqual(await focused(page), { tag: 'h1', text: 'Sign in' });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('text inputs show a 2 px focus ring with at least 3:1 against the page, in both schemes', async () => {
  const { context, page } = await openCheckContext(browser);
  try {
    await page.goto('/sign-in');
    const login = page.getByRole('textbox', { name: 'Email or username' });
    for (const scheme of /** @type {const} */ (['light', 'dark'])) {
      await useSystemScheme(page, scheme);
      await login.focus();
      await page.waitForTimeout(200);
      const ring = await login.evaluate((element) => {
        // The ring is on the input's own box (or its wrapper, for inputs with an inner element).
        const box = element.closest('.mantine-Input-input') ?? element;
        const style = getComputedStyle(box);
        const rgb = (color) => (color.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
        const luminance = ([r, g, b]) => {
          const channel = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
          return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
        };
        const ringLum = luminance(rgb(style.outlineColor));
        const pageLum = luminance(rgb(getComputedStyle(document.body).backgroundColor));
        const contrast = (Math.max(ringLum, pageLum) + 0.05) / (Math.min(ringLum, pageLum) + 0.05);
        return { style: style.outlineStyle, width: style.outlineWidth, contrast: Math.round(contrast * 100) / 100 };
      });
      assert.equal(ring.style, 'solid', `${scheme}: the focused input has an outline`);
      assert.equal(ring.width, '2px', `${scheme}: 2 px`);
      assert.ok(ring.contrast >= 3, `${scheme}: the ring has ${ring.contrast}:1 against the page`);
      await login.blur();
    }
  } finally {
    await context.close();
  }
});

test('reduced motion: with the system setting on, nothing animates or transitions (menu open too)', async () => {
  const { context, page } = await openCheckContext(browser, {
    reducedMotion: 'reduce',
    viewport: { width: 390, height: 844 },
  });
  try {
    await page.goto('/sign-in');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByRole('banner').getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('dialog', { name: 'Menu' }).waitFor();
    const moving = await page.evaluate(() => {
      const seconds = (value) =>
        Math.max(
          ...value.split(',').map((part) => (part.trim().endsWith('ms') ? parseFloat(part) / 1000 : parseFloat(part))),
        );
      return [...document.querySelectorAll('*')]
        .map((element) => ({ element, style: getComputedStyle(element) }))
        .filter(
          ({ style }) =>
            seconds(style.transitionDuration) > 0.001 ||
            (style.animationName !== 'none' && seconds(style.animationDuration) > 0.001),
        )
        .map(
          ({ element, style }) => `${element.tagName.toLowerCase()}.${element.className} ${style.transitionDuration}`,
        )
        .slice(0, 10);
    });
    assert.deepEqual(moving, [], 'elements still moving with reduced motion');
  } finally {
    await context.close();
  }
});

test('colour scheme: light, dark, and back to following the system, kept on this device', async () => {
  const { context, page } = await openCheckContext(browser, { colorScheme: 'dark' });
  try {
    await page.goto('/');
    await pageHeading(page);
    const scheme = page.getByRole('banner').getByRole('radiogroup', { name: 'Colour scheme' });
    const applied = () => page.evaluate(() => document.documentElement.getAttribute('data-mantine-color-scheme'));
    const stored = () => page.evaluate(() => window.localStorage.getItem('mantine-color-scheme-value'));

    assert.equal(await scheme.getByRole('radio', { name: 'System' }).isChecked(), true, 'follows the system at first');
    assert.equal(await applied(), 'dark');

    await scheme.locator('label', { hasText: 'Light' }).click();
    assert.equal(await applied(), 'light');
    assert.equal(await stored(), 'light');

    await scheme.locator('label', { hasText: 'System' }).click();
    assert.equal(await applied(), 'dark', 'follows the (dark) system again');
    assert.equal(await stored(), 'auto');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.waitForFunction(() => document.documentElement.getAttribute('data-mantine-color-scheme') === 'light');

    await page.reload();
    await pageHeading(page);
    assert.equal(await scheme.getByRole('radio', { name: 'System' }).isChecked(), true, 'kept after a reload');
  } finally {
    await context.close();
  }
});
