// Shared by the browser tests (`*.e2e.mjs`): Debian's Chromium through playwright-core, a fresh
// context per test with its errors recorded, and the axe check. Not a test file itself.
import assert from 'node:assert/strict';

import { AxeBuilder } from '@axe-core/playwright';
import { chromium } from 'playwright-core';

export const BASE_URL = (process.env.BASE_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const TIMEOUT_MS = 15_000;

export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A fresh page (own cookies and storage) with console errors, page errors and CSP violations recorded.
 * @param {import('playwright-core').Browser} browser
 */
export async function openPage(browser) {
  const context = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(TIMEOUT_MS);
  const page = await context.newPage();
  /** @type {string[]} */
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  // Chromium also logs CSP violations to the console; the event catches any it does not.
  await page.exposeFunction('__reportCspViolation', (text) => errors.push(`CSP: ${text}`));
  await page.addInitScript(() => {
    /* global document, window -- runs in the page */
    document.addEventListener('securitypolicyviolation', (event) => {
      // @ts-expect-error exposed above
      window.__reportCspViolation(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`);
    });
  });
  return { page, context, errors };
}

/**
 * Fails on serious or critical axe violations (WCAG 2.1 A/AA and best practices) on the page as it is now.
 * @param {import('playwright-core').Page} page
 * @param {string} where named in the failure message
 */
export async function assertNoSeriousAxeViolations(page, where) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = blocking
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`)
    .join('\n');
  assert.equal(blocking.length, 0, `axe found serious/critical violations on ${where}:\n${report}`);
}
