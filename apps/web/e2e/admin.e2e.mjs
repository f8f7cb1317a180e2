// Administration pages of the built SPA against the REAL running API (embedded mode):
//   BASE_URL=http://127.0.0.1:3000 ADMIN_LOGIN=admin@example.com ADMIN_PASSWORD=… \
//     node --test apps/web/e2e/admin.e2e.mjs
// The admin (ADMIN_LOGIN or ADMIN_EMAIL, and ADMIN_PASSWORD: the API's first admin) signs in through
// the form, follows the header's "Admin" link to the dashboard (its charts drawn), finds a member by
// search on the users page and gives them the author role until a chosen day (the API then shows
// that assignment with that expiry), opens roles, the audit log (the change is there), queues,
// categories and tags; axe on every admin page in both schemes, and none scrolls sideways at 390 px.
// Without the admin's credentials the test starts an embedded API of its own, with an admin it makes up.
/* global requestAnimationFrame -- in functions that run in the page */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';

import {
  adminTarget,
  apiCaller,
  assertAxeCleanInBothSchemes,
  BASE_URL,
  horizontalOverflow,
  launchBrowser,
  navigateInApp,
  pageHeading,
  pageSettled,
  TIMEOUT_MS,
} from './browser.mjs';

/** @type {import('playwright-core').Browser} */
let browser;
/** The API under test and its admin. */
let target = { url: BASE_URL, login: '', password: '', stop: async () => {} };

before(async () => {
  browser = await launchBrowser();
  target = await adminTarget('admin-pages');
});

after(async () => {
  await browser?.close();
  await target.stop();
});

function randomPassword() {
  return `Harbour lantern ${randomBytes(6).toString('hex')} drifts over quiet water`;
}

/** JSON calls to the API under test. */
const call = apiCaller(() => target);

/**
 * Nothing sticks out sideways at 390 px (and 320 px), and the page does not scroll sideways.
 * @param {import('playwright-core').Page} page
 * @param {string} where
 */
async function assertFitsPhoneWidths(page, where) {
  const problems = [];
  for (const width of [390, 320]) {
    await page.setViewportSize({ width, height: 844 });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const found = await horizontalOverflow(page);
    if (found.scrollWidth > found.width) problems.push(`${width} px: scrolls sideways (${found.scrollWidth} px)`);
    for (const element of found.outside) problems.push(`${width} px: outside the viewport: ${element}`);
    for (const label of found.truncated) problems.push(`${width} px: label cut short: ${label}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  assert.deepEqual(problems, [], `${where}:\n${problems.join('\n')}`);
}

/**
 * Opens an admin page through the administration navigation (a client-side move: no new session).
 * @param {import('playwright-core').Page} page
 * @param {string} link
 * @param {string} heading
 */
async function openAdminPage(page, link, heading) {
  await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: link, exact: true }).click();
  await pageHeading(page, heading);
  await pageSettled(page);
}

/** `yyyy-mm-dd` of the day `days` from now (UTC: the browser runs in UTC below). */
function dayFromNow(days) {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

test('the admin signs in, reads the dashboard, gives a member the author role until a day, and checks every admin page', async () => {
  // A member to find, made by the admin through the API (an invitation).
  const { data: session } = await call('POST', '/api/v1/auth/login', {
    body: { login: target.login, password: target.password },
  });
  const token = session.accessToken;
  const username = `tern_${randomBytes(3).toString('hex')}`;
  const { data: member } = await call('POST', '/api/v1/users', {
    token,
    body: { email: `${username}@example.com`, username, firstName: 'Arctic', lastName: 'Tern' },
    expect: 201,
  });
  // Rows for the categories and tags pages (their buttons are checked by axe too).
  const word = randomBytes(3).toString('hex');
  const { data: coast } = await call('POST', '/api/v1/categories', {
    token,
    body: { name: `Coast ${word}` },
    expect: 201,
  });
  await call('POST', '/api/v1/categories', {
    token,
    body: { name: `Harbours ${word}`, parentId: coast.id },
    expect: 201,
  });
  await call('POST', '/api/v1/tags', { token, body: { name: `Storms ${word}`, color: '#1c7ed6' }, expect: 201 });
  const { data: roles } = await call('GET', '/api/v1/roles', { token });
  const author = roles.find((role) => role.name === 'author');
  assert.ok(author, 'the API has an author role');

  // bypassCSP: axe is injected as an inline script (the CSP itself is smoke.e2e.mjs's).
  const context = await browser.newContext({
    baseURL: target.url,
    viewport: { width: 1280, height: 800 },
    bypassCSP: true,
    colorScheme: 'light',
    timezoneId: 'UTC',
  });
  context.setDefaultTimeout(TIMEOUT_MS);
  const page = await context.newPage();
  /** @type {string[]} */
  const errors = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  try {
    // Sign in through the form; the header then offers "Admin".
    await page.goto('/sign-in');
    const form = page.getByRole('form', { name: 'Sign in' });
    await form.getByRole('textbox', { name: 'Email or username' }).fill(target.login);
    await form.getByLabel('Password', { exact: false }).and(page.locator('input')).fill(target.password);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname !== '/sign-in');
    await pageHeading(page);
    await page
      .getByRole('banner')
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Admin' })
      .click();

    // The dashboard: every chart drawn (an SVG in its figure), each with its summary in words.
    await pageHeading(page, 'Dashboard');
    assert.equal(new URL(page.url()).pathname, '/admin');
    await pageSettled(page);
    for (const chart of ['Sign-ups per day', 'Posts published per day', 'Sign-ins per day', 'Posts by status']) {
      const region = page.getByRole('region', { name: chart });
      await region.locator('svg.recharts-surface').first().waitFor();
      await region
        .getByRole('button', { name: 'Show the figures' })
        .or(region.getByText('Show the figures'))
        .first()
        .waitFor();
    }
    await assertAxeCleanInBothSchemes(page, '/admin');
    await assertFitsPhoneWidths(page, '/admin');

    // Users: find the member by search and give them the author role until a day a month away.
    await openAdminPage(page, 'Users', 'Users');
    await page.getByRole('searchbox', { name: /Search users/ }).fill(username);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('status').getByText(`1 user match “${username}”.`).waitFor();
    await pageSettled(page);
    await assertAxeCleanInBothSchemes(page, '/admin/users');
    await assertFitsPhoneWidths(page, '/admin/users');

    await page.getByRole('button', { name: `Actions for ${username}` }).click();
    await page.getByRole('menuitem', { name: 'Edit roles' }).click();
    const dialog = page.getByRole('dialog', { name: `Roles of ${username}` });
    await dialog.getByRole('checkbox', { name: /^author/ }).check();
    const lastDay = dayFromNow(30);
    await dialog.getByLabel('Last day of author').fill(lastDay);
    await assertAxeCleanInBothSchemes(page, 'the roles dialog');
    await dialog.getByRole('button', { name: 'Save roles' }).click();
    // The notification says so (then it is closed: it would sit over the next pages' checks).
    const notice = page.locator('.mantine-Notification-root', { hasText: `${username} now holds` });
    await notice.waitFor();
    await notice.getByRole('button', { name: 'Close notification' }).click();
    await notice.waitFor({ state: 'detached' });
    await dialog.waitFor({ state: 'hidden' });
    // The list shows it, and the API holds exactly that assignment.
    await page
      .getByRole('list', { name: `Roles of ${username}` })
      .getByText(/^author until/)
      .first()
      .waitFor();
    const { data: updated } = await call('GET', `/api/v1/users/${member.id}`, { token });
    const assignment = updated.roles.find((role) => role.name === 'author');
    assert.ok(assignment, `the API lists the author role: ${JSON.stringify(updated.roles)}`);
    assert.equal(new Date(assignment.expiresAt).toISOString(), `${lastDay}T23:59:59.999Z`);

    // Roles: the list, and the author role's permission matrix.
    await openAdminPage(page, 'Roles', 'Roles');
    await page.getByRole('table', { name: 'Roles' }).getByRole('link', { name: 'author', exact: true }).waitFor();
    await assertAxeCleanInBothSchemes(page, '/admin/roles');
    await assertFitsPhoneWidths(page, '/admin/roles');
    await page.getByRole('table', { name: 'Roles' }).getByRole('link', { name: 'author', exact: true }).click();
    await pageHeading(page, 'Role author');
    await page.getByRole('group', { name: 'Posts' }).getByRole('checkbox', { name: 'Create posts' }).waitFor();
    assert.ok(
      await page.getByRole('group', { name: 'Posts' }).getByRole('checkbox', { name: 'Create posts' }).isChecked(),
    );
    await assertAxeCleanInBothSchemes(page, `/admin/roles/${author.id}`);
    await assertFitsPhoneWidths(page, `/admin/roles/${author.id}`);

    // The audit log holds the change; its details open in a drawer.
    await openAdminPage(page, 'Audit log', 'Audit log');
    await page.getByRole('textbox', { name: /Target/ }).fill(`user:${member.id}`);
    await page.getByRole('textbox', { name: /Action/ }).fill('user.roles_changed');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const details = page
      .getByRole('table', { name: 'Audit events' })
      .getByRole('button', { name: /^Details of user.roles_changed/ });
    await details.first().waitFor();
    await pageSettled(page);
    await assertAxeCleanInBothSchemes(page, '/admin/audit');
    await assertFitsPhoneWidths(page, '/admin/audit');
    await details.first().click();
    const drawer = page.getByRole('dialog', { name: 'Event user.roles_changed' });
    await drawer.getByText(`user:${member.id}`).waitFor();
    await assertAxeCleanInBothSchemes(page, 'the audit event drawer');
    await drawer.getByRole('button', { name: 'Close' }).click();
    await drawer.waitFor({ state: 'hidden' });

    // Queues, categories and tags.
    await openAdminPage(page, 'Queues', 'Queues');
    await page
      .getByRole('table', { name: 'Jobs per queue and state' })
      .getByRole('columnheader', { name: 'Mail' })
      .waitFor();
    await page
      .getByRole('status')
      .getByText(/failed jobs? in this queue|failed jobs?\./)
      .waitFor();
    await assertAxeCleanInBothSchemes(page, '/admin/queues');
    await assertFitsPhoneWidths(page, '/admin/queues');

    await openAdminPage(page, 'Categories', 'Categories');
    await page.getByRole('button', { name: `Delete Harbours ${word}` }).waitFor();
    await assertAxeCleanInBothSchemes(page, '/admin/categories');
    await assertFitsPhoneWidths(page, '/admin/categories');

    await openAdminPage(page, 'Tags', 'Tags');
    await page
      .getByRole('status')
      .getByText(/tags?|No tags yet/)
      .first()
      .waitFor();
    await assertAxeCleanInBothSchemes(page, '/admin/tags');
    await assertFitsPhoneWidths(page, '/admin/tags');

    assert.deepEqual(errors, [], errors.join('\n'));
  } finally {
    await context.close();
  }
});

test('a member without admin permissions sees no Admin link, and an admin address says they cannot open it', async () => {
  const { data: session } = await call('POST', '/api/v1/auth/login', {
    body: { login: target.login, password: target.password },
  });
  const username = `puffin_${randomBytes(3).toString('hex')}`;
  const password = randomPassword();
  // An active, verified member with a password of their own (made by the admin, then given one).
  await call('POST', '/api/v1/auth/register', {
    body: { email: `${username}@example.com`, username, password },
    expect: 202,
  });
  const { data: found } = await call('GET', `/api/v1/users?search=${username}`, { token: session.accessToken });
  await call('PATCH', `/api/v1/users/${found[0].id}`, { token: session.accessToken, body: { emailVerified: true } });

  const context = await browser.newContext({ baseURL: target.url, viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(TIMEOUT_MS);
  const page = await context.newPage();
  try {
    await page.goto('/sign-in');
    const form = page.getByRole('form', { name: 'Sign in' });
    await form.getByRole('textbox', { name: 'Email or username' }).fill(username);
    await form.getByLabel('Password', { exact: false }).and(page.locator('input')).fill(password);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname !== '/sign-in');
    await pageHeading(page);
    const nav = page.getByRole('banner').getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Posts' }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Admin' }).count(), 0);
    // A client-side move to an admin address (a full load would ask for a new session).
    await navigateInApp(page, '/admin/users');
    await pageHeading(page, 'You cannot open this page');
    assert.equal(await page.getByRole('table', { name: 'Users' }).count(), 0);
  } finally {
    await context.close();
  }
});
