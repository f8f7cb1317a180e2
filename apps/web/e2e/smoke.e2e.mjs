// Browser smoke test of the built SPA against the REAL running API, which serves the SPA at `/`.
//   BASE_URL=http://127.0.0.1:3000 node --test apps/web/e2e/smoke.e2e.mjs
// Drives Debian's /usr/bin/chromium through playwright-core: no browser download, no test runner
// beyond node:test, no mocked routes.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { assertNoSeriousAxeViolations, BASE_URL, launchBrowser, openPage as openContextPage } from './browser.mjs';

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');

/** @type {import('playwright-core').Browser} */
let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

const openPage = () => openContextPage(browser);

/** What the live API says about itself, read without the browser to compare with what the page shows. */
async function liveInfo() {
  const response = await fetch(`${BASE_URL}/api/v1/info`);
  assert.equal(response.status, 200, 'GET /api/v1/info should answer 200');
  const body = await response.json();
  assert.equal(body.status, 'success');
  return body.data;
}

test('the status page (/status) shows the live API version, instance and Ready state', async () => {
  const info = await liveInfo();
  const { page, context } = await openPage();
  try {
    const response = await page.goto('/status');
    assert.equal(response?.status(), 200);
    await page.getByRole('heading', { level: 1, name: 'System status' }).waitFor();

    const instance = page.getByRole('region', { name: 'Instance' });
    await instance.getByText(info.instance.id, { exact: true }).waitFor();
    await instance.getByText(info.version, { exact: true }).waitFor();

    const readiness = page.getByRole('region', { name: 'Readiness' });
    await readiness.getByText('Ready', { exact: true }).waitFor();
    assert.equal(await readiness.getByText('Not ready', { exact: true }).count(), 0);
    const checks = readiness.getByRole('list', { name: 'Dependency checks' });
    for (const check of ['Database', 'Redis', 'Disk']) {
      await checks.getByRole('listitem', { name: check, exact: true }).waitFor();
    }
  } finally {
    // Saved on failure too: it is the first thing to look at when this test goes red in CI.
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'home.png'), fullPage: true }).catch(() => {});
    await context.close();
  }
});

test('a deep link gets index.html (history fallback) and shows the not-found page', async () => {
  const { page, context } = await openPage();
  try {
    const response = await page.goto('/some/deep/link');
    assert.equal(response?.status(), 200, 'unknown client routes must be answered with index.html');
    assert.match(response?.headers()['content-type'] ?? '', /text\/html/);
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    await page.getByText('/some/deep/link', { exact: true }).waitFor();

    await page.getByRole('link', { name: 'Back to the home page' }).click();
    await page.getByRole('heading', { level: 1, name: /^Welcome to / }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/');
  } finally {
    await context.close();
  }
});

test('/docs shows the Swagger UI for "Atrium API"', async () => {
  const { page, context } = await openPage();
  try {
    const response = await page.goto('/docs');
    assert.equal(response?.status(), 200);
    // The title is rendered by Swagger UI's script from the spec: seeing it proves the UI booted.
    const title = page.locator('.swagger-ui .info .title');
    await title.waitFor();
    assert.match(await title.innerText(), /Atrium API/);
    await page.getByText('Atrium API').first().waitFor();
  } finally {
    await context.close();
  }
});

test('home and status pages load without console errors or CSP violations', async () => {
  const { page, context, errors } = await openPage();
  try {
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: /^Welcome to / }).waitFor();
    await page.waitForLoadState('networkidle');
    await page.goto('/status');
    await page.getByRole('region', { name: 'Readiness' }).getByText('Ready', { exact: true }).waitFor();
    await page.getByRole('region', { name: 'Instance' }).getByRole('term').first().waitFor();
    await page.waitForLoadState('networkidle');
    assert.deepEqual(errors, [], `errors on / and /status:\n${errors.join('\n')}`);
  } finally {
    await context.close();
  }
});

test('home and status pages have no serious or critical accessibility violations (axe)', async () => {
  const { page, context } = await openPage();
  try {
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: /^Welcome to / }).waitFor();
    await page.waitForLoadState('networkidle');
    await assertNoSeriousAxeViolations(page, '/');

    await page.goto('/status');
    await page.getByRole('region', { name: 'Readiness' }).getByText('Ready', { exact: true }).waitFor();
    await page.getByRole('region', { name: 'Instance' }).getByRole('term').first().waitFor();

    await assertNoSeriousAxeViolations(page, '/status');
  } finally {
    await context.close();
  }
});
