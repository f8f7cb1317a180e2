// Browser test of accounts against the REAL running API (embedded mode, mail written to its outbox):
//   BASE_URL=http://127.0.0.1:3000 DATA_DIR=/path/to/the/api/data node --test apps/web/e2e/auth.e2e.mjs
// Signs up through the UI, confirms the address with the link from the mail the API wrote to
// `${DATA_DIR}/outbox/*.eml`, signs in, checks the sessions page and signs out.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { assertNoSeriousAxeViolations, BASE_URL, launchBrowser, openPage } from './browser.mjs';

const DATA_DIR = process.env.DATA_DIR;
const MAIL_TIMEOUT_MS = 15_000;

/** @type {import('playwright-core').Browser} */
let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

// ---------------------------------------------------------------------------------------------
// Reading the outbox: just enough MIME for the API's own mail (multipart/alternative, QP text).
// ---------------------------------------------------------------------------------------------

/** Headers (names lower-cased, folded lines joined) and body of one MIME entity. */
function splitEntity(raw) {
  const end = raw.search(/\r?\n\r?\n/);
  const head = end === -1 ? raw : raw.slice(0, end);
  const body = end === -1 ? '' : raw.slice(end).replace(/^\r?\n\r?\n/, '');
  /** @type {Record<string, string>} */
  const headers = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

/** Quoted-printable: soft line breaks (`=\r\n`) go, `=XX` are bytes (`=3D` is "="), then UTF-8. */
function decodeQuotedPrintable(text) {
  const bytes = text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-Fa-f]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

function decodeBody({ headers, body }) {
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return Buffer.from(body, 'latin1').toString('utf8');
}

/** The recipient and the decoded text/plain part of an .eml file. */
function parseMail(raw) {
  const message = splitEntity(raw);
  const contentType = message.headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  let text = '';
  if (boundary) {
    for (const chunk of message.body.split(`--${boundary}`).slice(1)) {
      if (chunk.startsWith('--')) break;
      const part = splitEntity(chunk.replace(/^\r?\n/, ''));
      if ((part.headers['content-type'] ?? '').toLowerCase().startsWith('text/plain')) {
        text = decodeBody(part);
        break;
      }
    }
  } else if (contentType.toLowerCase().startsWith('text/plain')) {
    text = decodeBody(message);
  }
  return { to: message.headers.to ?? '', subject: message.headers.subject ?? '', text };
}

/** The verification link mailed to `email`, waiting for the API's in-process mail job to write it. */
async function verificationLink(email) {
  assert.ok(
    DATA_DIR,
    'DATA_DIR is not set: point it at the data directory of the API under test; its mail is read from DATA_DIR/outbox',
  );
  const outbox = join(DATA_DIR, 'outbox');
  const deadline = Date.now() + MAIL_TIMEOUT_MS;
  for (;;) {
    const names = await readdir(outbox).catch((error) => (error.code === 'ENOENT' ? [] : Promise.reject(error)));
    for (const name of names.filter((n) => n.endsWith('.eml'))) {
      const mail = parseMail(await readFile(join(outbox, name), 'latin1'));
      if (!mail.to.toLowerCase().includes(email.toLowerCase())) continue;
      const link = /https?:\/\/[^\s<>"]+\/verify-email\?token=[A-Za-z0-9_-]+/.exec(mail.text)?.[0];
      if (link) return link;
    }
    if (Date.now() > deadline) {
      assert.fail(
        `No verification mail to ${email} in ${outbox} after ${MAIL_TIMEOUT_MS / 1000} s (${names.length} files)`,
      );
    }
    await sleep(200);
  }
}

// ---------------------------------------------------------------------------------------------

test('sign up, confirm the address from the mail, sign in, see the session, sign out', async () => {
  // Fail first, and clearly, when the test cannot read mail: it is not optional.
  assert.ok(
    DATA_DIR,
    'DATA_DIR is not set: point it at the data directory of the API under test; its mail is read from DATA_DIR/outbox',
  );
  const suffix = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const username = `e2e_${suffix}`;
  const email = `${username}@example.com`;
  const password = `Amber lantern ${randomBytes(4).toString('hex')} drifts over quiet fjords`;

  const { page, context, errors } = await openPage(browser);
  try {
    const header = page.getByRole('banner');

    await page.goto('/sign-up');
    await page.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor();
    const form = page.getByRole('form', { name: 'Sign up' });
    await form.getByRole('textbox', { name: 'Email' }).fill(email);
    await form.getByRole('textbox', { name: 'Username' }).fill(username);
    await form.getByLabel('Password', { exact: false }).and(page.locator('input')).fill(password);
    await form.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Check your inbox' }).waitFor();
    await page.getByText(email, { exact: true }).waitFor();

    const link = new URL(await verificationLink(email));
    assert.equal(link.origin, new URL(BASE_URL).origin, 'the mail links to the app under test (APP_URL)');
    await page.goto(`${link.pathname}${link.search}`);
    await page.getByRole('heading', { level: 1, name: 'Email address confirmed' }).waitFor();

    await page.getByRole('main').getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByRole('textbox', { name: 'Email or username' }).fill(username);
    await page.getByLabel('Password', { exact: false }).and(page.locator('input')).fill(password);
    await page.getByRole('form', { name: 'Sign in' }).getByRole('button', { name: 'Sign in' }).click();

    await header.getByRole('button', { name: username }).waitFor();
    assert.equal(await header.getByRole('link', { name: 'Sign in' }).count(), 0);
    // Verified before signing in: no "confirm your address" banner.
    assert.equal(await page.getByRole('region', { name: 'Confirm your email address' }).count(), 0);

    // A full page load: the session comes back from the HttpOnly refresh cookie alone.
    await page.goto('/settings/sessions');
    await page.getByRole('heading', { level: 1, name: 'Sessions' }).waitFor();
    await header.getByRole('button', { name: username }).waitFor();
    const sessions = page.getByRole('list', { name: 'Sessions' });
    await sessions.waitFor();
    const items = sessions.getByRole('listitem');
    assert.equal(await items.count(), 1, 'one session: this browser');
    await items.first().getByText('This device', { exact: true }).waitFor();

    const refreshCookie = (await context.cookies()).find((cookie) => cookie.path === '/api/v1/auth');
    assert.ok(refreshCookie, 'the refresh token is a cookie scoped to /api/v1/auth');
    assert.equal(refreshCookie.httpOnly, true, 'JavaScript never sees the refresh token');
    assert.equal(refreshCookie.sameSite, 'Strict');
    assert.deepEqual(
      await page.evaluate(() => {
        /* global window -- runs in the page */
        const stored = [...Object.entries(window.localStorage), ...Object.entries(window.sessionStorage)];
        return stored.filter(([key, value]) => /token/i.test(key) || /eyJ[\w-]+\.[\w-]+\.[\w-]+/.test(value));
      }),
      [],
      'the access token stays in memory: nothing token-like in localStorage or sessionStorage',
    );

    await header.getByRole('button', { name: username }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await header.getByRole('link', { name: 'Sign in' }).waitFor();
    await page.getByRole('heading', { level: 1, name: /^Welcome to / }).waitFor();

    // The server ended the session: even the last refresh token is refused now.
    const replay = await fetch(`${BASE_URL}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `${refreshCookie.name}=${refreshCookie.value}` },
      body: '{}',
    });
    assert.equal(replay.status, 401, 'the refresh token of a signed-out session no longer works');

    assert.deepEqual(errors, [], `errors during the flow:\n${errors.join('\n')}`);
  } finally {
    await context.close();
  }
});

test('sign-in page has no serious or critical accessibility violations (axe), also with field errors', async () => {
  const { page, context, errors } = await openPage(browser);
  try {
    await page.goto('/sign-in');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await assertNoSeriousAxeViolations(page, '/sign-in');

    // Checked in the browser, no request: both fields say what is missing.
    await page.getByRole('form', { name: 'Sign in' }).getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Enter your email address or username.').waitFor();
    await page.getByText('Enter your password.').waitFor();
    assert.equal(await page.getByRole('textbox', { name: 'Email or username' }).getAttribute('aria-invalid'), 'true');
    await assertNoSeriousAxeViolations(page, '/sign-in with field errors');

    assert.deepEqual(errors, [], `errors on /sign-in:\n${errors.join('\n')}`);
  } finally {
    await context.close();
  }
});
