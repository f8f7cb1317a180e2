// The admin's everyday actions, clicked in the built SPA against a fresh embedded API of the test's
// own (nothing through the API that a person would do on a page):
//   node --test apps/web/e2e/admin-manage.e2e.mjs
// Users: invite one from the form, sort the table by username (A to Z, then Z to A), deactivate and
// reactivate, delete and restore. Its mail cannot go out (SMTP_URL points at a closed port, one
// attempt): the failed job shows on the queues page, is retried, then deleted. The audit log names
// the admin who acted. Categories: moved down among their siblings and put under another one. Tags:
// one merged into another.
/* global document -- in functions that run in the page */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';

import {
  adminTarget,
  apiCaller,
  launchBrowser,
  notified,
  pageHeading,
  pageSettled,
  TIMEOUT_MS,
  withPageState,
} from './browser.mjs';

/** @type {import('playwright-core').Browser} */
let browser;
let target = { url: '', login: '', password: '', stop: async () => {} };
const call = apiCaller(() => target);

before(async () => {
  browser = await launchBrowser();
  target = await adminTarget('admin-manage', {
    // Mail fails at once, and for good: a failed job to show.
    env: { SMTP_URL: 'smtp://127.0.0.1:9', JOB_ATTEMPTS: '1' },
    shared: false,
  });
});

after(async () => {
  await browser?.close();
  await target.stop();
});

/**
 * @param {import('playwright-core').Page} page
 * @param {string} link
 * @param {string} heading
 */
async function openAdminPage(page, link, heading) {
  await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: link, exact: true }).click();
  await pageHeading(page, heading);
  await pageSettled(page);
}

/**
 * Waits until the users table lists exactly these usernames, in this order (the first line of each row).
 * @param {import('playwright-core').Page} page
 * @param {string[]} expected
 */
async function usersListed(page, expected) {
  const listed = () =>
    page.evaluate(() =>
      [...document.querySelectorAll('table[aria-label="Users"] tbody tr')].map(
        (row) => row.querySelector('td p')?.textContent?.trim() ?? '',
      ),
    );
  try {
    await page.waitForFunction(
      (names) =>
        JSON.stringify(
          [...document.querySelectorAll('table[aria-label="Users"] tbody tr')].map(
            (row) => row.querySelector('td p')?.textContent?.trim() ?? '',
          ),
        ) === JSON.stringify(names),
      expected,
    );
  } catch {
    assert.deepEqual(await listed(), expected, 'the users in this order');
  }
}

/**
 * Whether `locator` is (or becomes) enabled within `ms`.
 * @param {import('playwright-core').Locator} locator
 * @param {number} ms
 */
async function enabledWithin(locator, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await locator.isEnabled()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return locator.isEnabled();
}

test('the admin invites, sorts, deactivates, restores users; retries and deletes a failed job; reorders and reparents categories; merges tags', async () => {
  const { data: session } = await call('POST', '/api/v1/auth/login', {
    body: { login: target.login, password: target.password },
  });
  const token = session.accessToken;
  const { data: me } = await call('GET', '/api/v1/auth/me', { token });
  const word = randomBytes(3).toString('hex');
  // What the pages start from (made as data, not the subject of the test).
  for (const name of [`aa_${word}`, `zz_${word}`]) {
    await call('POST', '/api/v1/users', { token, body: { email: `${name}@example.com`, username: name }, expect: 201 });
  }
  const coast = (
    await call('POST', '/api/v1/categories', { token, body: { name: `Coast ${word}`, sortOrder: 0 }, expect: 201 })
  ).data;
  const hills = (
    await call('POST', '/api/v1/categories', { token, body: { name: `Hills ${word}`, sortOrder: 1 }, expect: 201 })
  ).data;
  const rivers = (
    await call('POST', '/api/v1/categories', { token, body: { name: `Rivers ${word}`, sortOrder: 2 }, expect: 201 })
  ).data;
  const storms = (await call('POST', '/api/v1/tags', { token, body: { name: `Storms ${word}` }, expect: 201 })).data;
  const gales = (await call('POST', '/api/v1/tags', { token, body: { name: `Gales ${word}` }, expect: 201 })).data;

  const context = await browser.newContext({
    baseURL: target.url,
    viewport: { width: 1280, height: 900 },
    timezoneId: 'UTC',
  });
  context.setDefaultTimeout(TIMEOUT_MS);
  const page = await context.newPage();
  /** @type {string[]} */
  const errors = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  try {
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
    await pageHeading(page, 'Dashboard');

    // --- Users: invite one from the form.
    await openAdminPage(page, 'Users', 'Users');
    const invitee = `mm_${word}`;
    await page.getByRole('button', { name: 'Invite a user' }).click();
    const invite = page.getByRole('dialog', { name: 'Invite a user' });
    await invite.getByRole('textbox', { name: 'Email' }).fill(`${invitee}@example.com`);
    await invite.getByRole('textbox', { name: 'Username' }).fill(invitee);
    await invite.getByRole('textbox', { name: 'First name' }).fill('Manx');
    await invite.getByRole('button', { name: 'Send the invitation' }).click();
    await notified(page, `${invitee} is invited`);
    await invite.waitFor({ state: 'hidden' });
    const { data: listed } = await call('GET', `/api/v1/users?search=${invitee}`, { token });
    assert.equal(listed.length, 1, 'the API has the invited user');
    assert.equal(listed[0].firstName, 'Manx');

    // Sorted by username, A to Z and then Z to A (only this test's users: a search for the word).
    await page.getByRole('searchbox', { name: /Search users/ }).fill(word);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('status').getByText(`3 users match “${word}”.`).waitFor();
    await page.getByRole('button', { name: /^User/ }).click();
    await page.waitForURL((url) => url.searchParams.get('sort') === 'username');
    await usersListed(page, [`aa_${word}`, invitee, `zz_${word}`]);
    await page.getByRole('button', { name: /^User/ }).click();
    await page.waitForURL((url) => url.searchParams.get('sort') === '-username');
    await usersListed(page, [`zz_${word}`, invitee, `aa_${word}`]);

    // Deactivate, then reactivate.
    const statusOf = (name) =>
      page.getByRole('table', { name: 'Users' }).locator('tbody tr', { hasText: name }).locator('td').nth(2);
    await page.getByRole('button', { name: `Actions for ${invitee}` }).click();
    await page.getByRole('menuitem', { name: 'Deactivate' }).click();
    const deactivate = page.getByRole('dialog', { name: `Deactivate ${invitee}?` });
    await deactivate.getByRole('button', { name: 'Deactivate' }).click();
    await notified(page, `${invitee} is deactivated`);
    await statusOf(invitee).getByText('Deactivated').waitFor();
    await page.getByRole('button', { name: `Actions for ${invitee}` }).click();
    await page.getByRole('menuitem', { name: 'Reactivate' }).click();
    await notified(page, `${invitee} can sign in again.`);
    await statusOf(invitee).getByText('Deactivated').waitFor({ state: 'detached' });

    // Delete, then find among the deleted and restore.
    await page.getByRole('button', { name: `Actions for ${invitee}` }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    await page
      .getByRole('dialog', { name: `Delete ${invitee}?` })
      .getByRole('button', { name: 'Delete' })
      .click();
    await notified(page, `${invitee} is deleted`);
    await page.getByRole('status').getByText(`2 users match “${word}”.`).waitFor();
    await page.getByRole('combobox', { name: 'Status' }).selectOption('deleted');
    await page.getByRole('status').getByText(`1 user match “${word}”.`).waitFor();
    await page.getByRole('button', { name: `Actions for ${invitee}` }).click();
    await page.getByRole('menuitem', { name: 'Restore' }).click();
    await notified(page, `${invitee} is restored.`);
    await page.getByRole('status').getByText(`No user matches.`).waitFor();
    const { data: restored } = await call('GET', `/api/v1/users/${listed[0].id}`, { token });
    assert.notEqual(restored.status, 'deleted');

    // --- Queues: the invitation's mail failed; retried (it fails again), then deleted.
    await openAdminPage(page, 'Queues', 'Queues');
    const jobs = page.getByRole('table', { name: 'Failed jobs' });
    const inviteJob = jobs.locator('tbody tr', { hasText: `${invitee}@example.com` });
    // The mail queue is the first; its failures are listed first.
    for (let tries = 0; (await inviteJob.count()) === 0; tries += 1) {
      assert.ok(tries < 30, 'the invitation mail shows as a failed job');
      await page.waitForTimeout(1000);
      await page.reload();
      await pageHeading(page, 'Queues');
    }
    const retryButton = inviteJob.getByRole('button', { name: /^Retry job / });
    const jobId = ((await retryButton.getAttribute('aria-label')) ?? '').replace('Retry job ', '');
    await retryButton.click();
    await notified(page, `Job ${jobId} (`);
    const { data: retried } = await call('GET', `/api/v1/audit-events?action=queue.job_retried`, { token });
    assert.equal(retried.length, 1, 'the retry is in the audit log');
    // Once it has failed again, delete it.
    const deleteButton = jobs.getByRole('button', { name: `Delete job ${jobId}` });
    for (let tries = 0; (await deleteButton.count()) === 0; tries += 1) {
      assert.ok(tries < 30, 'the retried job fails again and is listed');
      await page.waitForTimeout(1000);
      await page.reload();
      await pageHeading(page, 'Queues');
    }
    await deleteButton.click();
    await page
      .getByRole('dialog', { name: `Delete job ${jobId}?` })
      .getByRole('button', { name: 'Delete job' })
      .click();
    await notified(page, `Job ${jobId} deleted.`);
    await deleteButton.waitFor({ state: 'detached' });
    await call('GET', `/api/v1/admin/queues/mail/jobs?state=failed`, { token }).then(({ data }) =>
      assert.ok(!data.some((job) => job.id === jobId), 'the API no longer lists the deleted job'),
    );

    // --- Audit log: the admin is named, not only their id.
    await openAdminPage(page, 'Audit log', 'Audit log');
    await page.getByRole('textbox', { name: /Action/ }).fill('queue.job_retried');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByRole('status').getByText('1 event match.').waitFor();
    await page.getByRole('button', { name: /^Details of queue.job_retried/ }).click();
    const drawer = page.getByRole('dialog', { name: 'Event queue.job_retried' });
    await drawer.getByRole('row', { name: `Actor ${me.username}` }).waitFor();
    await drawer.getByRole('row', { name: `Actor’s user id ${me.id}` }).waitFor();
    await drawer.getByRole('link', { name: `Everything ${me.username} did` }).click();
    await page.waitForURL((url) => url.searchParams.get('actor') === me.id);
    await drawer.waitFor({ state: 'hidden' });

    // --- Categories: Coast moved down (Hills, Coast, Rivers), then Rivers put under Hills.
    await openAdminPage(page, 'Categories', 'Categories');
    await page.getByRole('button', { name: `Move Coast ${word} down` }).click();
    await notified(page, `Coast ${word} moved down.`);
    const top = page.getByRole('list', { name: 'Categories' });
    await top.locator(':scope > li').first().getByText(`Hills ${word}`, { exact: true }).waitFor();
    await page.getByRole('button', { name: `Edit Rivers ${word}` }).click();
    const edit = page.getByRole('dialog', { name: `Edit Rivers ${word}` });
    await edit.getByRole('combobox', { name: 'Under' }).selectOption({ label: `Hills ${word}` });
    await edit.getByRole('button', { name: 'Save category' }).click();
    await notified(page, `Category Rivers ${word} saved.`);
    await page
      .getByRole('list', { name: `Under Hills ${word}` })
      .getByText(`Rivers ${word}`, { exact: true })
      .waitFor();
    const { data: tree } = await call('GET', '/api/v1/categories', { token });
    const mine = tree.filter((node) => [coast.id, hills.id, rivers.id].includes(node.id));
    assert.deepEqual(
      mine.map((node) => node.id),
      [hills.id, coast.id],
      'Hills before Coast at the top level',
    );
    assert.deepEqual(
      mine[0].children.map((node) => node.id),
      [rivers.id],
      'Rivers under Hills',
    );

    // --- Tags: Gales merged into Storms.
    await openAdminPage(page, 'Tags', 'Tags');
    await page.getByRole('button', { name: `Merge Gales ${word}` }).click();
    const merge = page.getByRole('dialog', { name: `Merge Gales ${word} into another tag` });
    // The list is searched 250 ms after typing stops: the option is chosen from the search's answer.
    const searched = page.waitForResponse(
      (response) => new URL(response.url()).searchParams.get('q') === `Storms ${word}` && response.ok(),
    );
    await merge.getByLabel('Merge into').fill(`Storms ${word}`);
    await searched;
    const option = page.getByRole('option', { name: new RegExp(`^Storms ${word}`) });
    const mergeButton = merge.getByRole('button', { name: 'Merge tags' });
    await option.click();
    // In one CI run the click on the option never chose it (the open list covering the buttons was
    // still moving into place, a screenshot showed): a person would click it again, and so does this.
    if (!(await enabledWithin(mergeButton, 5_000)) && (await option.isVisible())) await option.click();
    await mergeButton.click();
    await notified(page, `Gales ${word} merged into Storms ${word}.`);
    await page.getByRole('button', { name: `Merge Gales ${word}` }).waitFor({ state: 'detached' });
    await call('GET', `/api/v1/tags?q=Gales`, { token }).then(({ data }) =>
      assert.ok(!data.some((tag) => tag.id === gales.id), 'the merged tag is gone'),
    );
    assert.ok(storms.id);

    assert.deepEqual(errors, [], errors.join('\n'));
  } catch (error) {
    throw await withPageState(page, 'admin-manage', error);
  } finally {
    await context.close();
  }
});
