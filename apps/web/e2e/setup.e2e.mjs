// Browser test of first-run setup against the REAL API in embedded mode:
//   BASE_URL=http://127.0.0.1:3000 node --test apps/web/e2e/setup.e2e.mjs
// The shared API (BASE_URL) offers setup exactly when GET /api/v1/setup says it is required (CI
// starts it with ADMIN_EMAIL, and other tests may have made accounts). The walk itself runs on an
// embedded instance of its own — `node apps/api/dist/main.js` with a fresh DATA_DIR and port — so
// it never depends on what other tests did: start-up log → home → /setup → admin signed in.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';

import {
  assertNoSeriousAxeViolations,
  BASE_URL,
  launchBrowser,
  openPage,
  startEmbeddedInstance,
  TIMEOUT_MS,
} from './browser.mjs';

/** @type {import('playwright-core').Browser} */
let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** What `GET /api/v1/setup` of `baseUrl` says. */
async function setupStatus(baseUrl) {
  const response = await fetch(`${baseUrl}/api/v1/setup`);
  assert.equal(response.status, 200, 'GET /api/v1/setup answers 200');
  return (await response.json()).data;
}

/**
 * A fresh embedded Atrium (its own DATA_DIR, port and in-memory cache, no admin), as `npm start`
 * runs it; `log()` is everything it printed so far.
 */
const startFreshInstance = () => startEmbeddedInstance({ readyWhen: (log) => log.includes('No admin account yet') });

test('the shared instance offers setup exactly when GET /api/v1/setup says it is required', async () => {
  const { required } = await setupStatus(BASE_URL);
  const { page, context, errors } = await openPage(browser);
  try {
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: /^Welcome to / }).waitFor();
    const main = page.getByRole('main');
    if (required) {
      await main.getByRole('link', { name: 'Set up this site' }).waitFor();
    } else {
      // The calls to sign up show once the answer is in, instead of the setup link.
      await main.getByRole('link', { name: 'Create an account' }).waitFor();
      assert.equal(await main.getByRole('link', { name: 'Set up this site' }).count(), 0);
    }

    await page.goto('/setup');
    await page
      .getByRole('heading', { level: 1, name: required ? 'Set up this site' : 'This site is set up' })
      .waitFor();
    assert.equal(await page.getByRole('form', { name: 'Set up this site' }).count(), required ? 1 : 0);
    assert.deepEqual(errors, [], `errors:\n${errors.join('\n')}`);
  } finally {
    await context.close();
  }
});

test('first-run setup on a fresh embedded instance: the log says where, the admin is signed in', async () => {
  const instance = await startFreshInstance();
  const context = await browser.newContext({ baseURL: instance.url, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(TIMEOUT_MS);
  try {
    // The start-up log says where to go.
    assert.match(instance.log(), new RegExp(`No admin account yet: open ${instance.url}/setup `));
    assert.deepEqual(await setupStatus(instance.url), { required: true, codeRequired: false });

    const page = await context.newPage();
    /** @type {string[]} */
    const errors = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));

    // The home page points to setup; the sign-in page too.
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: 'Welcome to Atrium' }).waitFor();
    await page.getByRole('main').getByRole('link', { name: 'Set up this site' }).click();
    await page.getByRole('heading', { level: 1, name: 'Set up this site' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/setup');
    await assertNoSeriousAxeViolations(page, '/setup');

    const suffix = randomBytes(3).toString('hex');
    const username = `owner-${suffix}`;
    const password = `violet tractor umbrella ${suffix}`;
    const siteName = `Reading Room ${suffix}`;
    const form = page.getByRole('form', { name: 'Set up this site' });
    await form.getByRole('textbox', { name: 'Site name' }).fill(siteName);
    await form.getByRole('textbox', { name: 'Username' }).fill(username);
    await form.getByRole('textbox', { name: 'Email' }).fill(`${username}@example.com`);
    await form.locator('input[name="password"]').fill(password);
    await form.getByRole('button', { name: 'Create the admin account' }).click();

    // Signed in as the admin, on the home page with the site's new name.
    await page.getByRole('heading', { level: 1, name: `Welcome to ${siteName}` }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/');
    await page.getByRole('banner').getByRole('button', { name: username }).first().waitFor();
    const account = page.getByRole('region', { name: 'Your account' });
    await account.getByText(`@${username}`, { exact: false }).waitFor();
    // The toast says who is admin now; axe looks at the page once it has gone (its close button is
    // the notification's own, outside this feature).
    const toast = page.getByText(`Welcome, ${username}: you are this site's administrator.`);
    await toast.waitFor();
    await toast.waitFor({ state: 'detached', timeout: 15_000 });
    await assertNoSeriousAxeViolations(page, '/ (signed in after setup)');

    // The public profile the home page links to.
    await account.getByRole('link', { name: 'Your public profile' }).click();
    await page.getByRole('heading', { level: 1, name: username }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/u/${username}`);
    await assertNoSeriousAxeViolations(page, `/u/${username}`);

    // Setup is over: the page says so now, and a reload keeps the admin signed in.
    await page.goto('/setup');
    await page.getByRole('heading', { level: 1, name: 'This site is set up' }).waitFor();
    await page.getByRole('banner').getByRole('button', { name: username }).first().waitFor();

    // The API agrees: setup is done, and the session (the refresh cookie) is an admin's. Last: this
    // refresh rotates the browser's refresh token.
    assert.deepEqual(await setupStatus(instance.url), { required: false, codeRequired: false });
    const cookie = (await context.cookies()).find((c) => c.name === 'atrium_refresh');
    assert.ok(cookie, 'the setup answer set the refresh cookie');
    assert.equal(cookie.httpOnly, true);
    const refreshed = await fetch(`${instance.url}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: instance.url, cookie: `${cookie.name}=${cookie.value}` },
      body: '{}',
    });
    assert.equal(refreshed.status, 200, 'the refresh cookie from setup works');
    const { accessToken } = (await refreshed.json()).data;
    const me = await (
      await fetch(`${instance.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${accessToken}` } })
    ).json();
    assert.ok(me.data.roles.includes('admin'), `the new account is an admin: ${JSON.stringify(me.data.roles)}`);
    const users = await fetch(`${instance.url}/api/v1/users`, { headers: { authorization: `Bearer ${accessToken}` } });
    assert.equal(users.status, 200, 'an admin route answers');

    assert.deepEqual(errors, [], `errors during setup:\n${errors.join('\n')}`);
  } finally {
    await context.close();
    await instance.stop();
  }
});
