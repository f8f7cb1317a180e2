// The API reference page (/reference, Scalar on the served spec) against the REAL running API:
//   BASE_URL=http://127.0.0.1:3000 node --test apps/web/e2e/reference.e2e.mjs
// What an integrator on a phone or with a screen reader gets: axe finds nothing serious or
// critical (nor anything outside the landmarks) at desktop and phone width, in the light and the
// dark scheme, with an operation open and the phone's navigation open; the page does not scroll
// sideways; it asks nothing of another origin and breaks no rule of the Content-Security-Policy.
/* global document -- in functions that run in the page */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { AxeBuilder } from '@axe-core/playwright';

import { BASE_URL, describeViolations, horizontalOverflow, launchBrowser, openPage } from './browser.mjs';

/** @type {import('playwright-core').Browser} */
let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** Findings that fail the test: serious or critical, or content outside or duplicating landmarks. */
const failing = (violations) =>
  violations.filter(
    (v) => v.impact === 'serious' || v.impact === 'critical' || v.id === 'region' || v.id.startsWith('landmark-'),
  );

for (const scheme of /** @type {const} */ (['light', 'dark'])) {
  test(`/reference (${scheme}): axe clean at 1280 and 390 px with an operation open, no sideways scroll, nothing off-origin`, async () => {
    const { page, context, errors } = await openPage(browser);
    /** @type {string[]} */
    const offOrigin = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (!['data:', 'blob:'].includes(url.protocol) && url.origin !== new URL(BASE_URL).origin) {
        offOrigin.push(request.url());
      }
    });
    /** @type {string[]} */
    const report = [];
    const check = async (where) => {
      // Every rule axe runs by default; through the DevTools protocol, so the page's CSP stays on.
      const { violations } = await new AxeBuilder({ page }).analyze();
      const bad = failing(violations);
      if (bad.length > 0) report.push(`axe on ${where}:\n${describeViolations(bad)}`);
    };
    try {
      await page.emulateMedia({ colorScheme: scheme });
      const response = await page.goto('/reference');
      assert.equal(response?.status(), 200);
      // The title is rendered by Scalar from the served spec: seeing it proves the page booted.
      await page.getByRole('heading', { level: 1, name: 'Atrium API' }).waitFor();
      assert.equal(
        await page.evaluate(() => document.body.classList.contains('dark-mode')),
        scheme === 'dark',
        `the reference follows the system's ${scheme} scheme`,
      );
      await check(`/reference at 1280 px (${scheme})`);

      // An operation, reached from the navigation as a reader would.
      const navigation = page.getByRole('complementary', { name: /Sidebar/ });
      await navigation.getByRole('button', { name: 'Open Group - Auth' }).click();
      await navigation.getByRole('link', { name: /^Sign in with email or username/ }).click();
      const operation = page.getByRole('heading', { name: /Sign in with email or username/ }).first();
      await operation.waitFor();
      await page.waitForTimeout(300);
      await check(`/reference with "Sign in" open at 1280 px (${scheme})`);

      // Phone width: the text reflows, the navigation folds into a menu.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto('/reference');
      await page.getByRole('heading', { level: 1, name: 'Atrium API' }).waitFor();
      const { width, scrollWidth, outside } = await horizontalOverflow(page);
      assert.ok(scrollWidth <= width, `the page scrolls sideways at 390 px (${scrollWidth} px wide)`);
      assert.deepEqual(outside, [], 'nothing interactive sticks out sideways at 390 px');
      await check(`/reference at 390 px (${scheme})`);
      await page
        .getByRole('button', { name: /menu|navigation|sidebar/i })
        .first()
        .click();
      await page.waitForTimeout(400);
      await check(`/reference at 390 px with the navigation open (${scheme})`);

      assert.deepEqual(report, [], report.join('\n'));
      assert.deepEqual(offOrigin, [], 'the reference loads nothing from another origin');
      // Zod inside Scalar's bundle probes once per load whether `Function('')` may run, catches the
      // refusal and validates without generated code: that report is the probe, nothing broke.
      // Anything else (inline script, a style or font from elsewhere, a page error) fails.
      const unexpected = errors.filter((error) => error !== 'CSP: script-src blocked eval');
      assert.deepEqual(unexpected, [], `errors on /reference:\n${unexpected.join('\n')}`);
    } finally {
      await context.close();
    }
  });
}
