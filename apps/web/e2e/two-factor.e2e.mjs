// Two-factor sign-in in Chromium against the REAL running API (embedded mode, mail in DATA_DIR/outbox):
//   BASE_URL=http://127.0.0.1:3000 DATA_DIR=/path/to/the/api/data node --test apps/web/e2e/two-factor.e2e.mjs
// A new account turns two-factor authentication on in Settings → Security (the key from the page,
// a code computed from it as an authenticator app would), keeps its recovery codes, and then signs
// in again: the password alone is not enough, the code field appears with focus, the current code
// lets them in, and a recovery code works once.
/* global document -- in functions that run in the page */
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';

import {
  assertNoSeriousAxeViolations,
  launchBrowser,
  mailedVerificationToken,
  openPage,
  pageHeading,
  postJson,
} from './browser.mjs';

/** @type {import('playwright-core').Browser} */
let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** RFC 4648 base32 (the key as authenticator apps take it). */
function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of text.replace(/[\s=]/g, '').toUpperCase()) {
    const value = alphabet.indexOf(char);
    assert.ok(value >= 0, `not base32: ${char}`);
    bits += value.toString(2).padStart(5, '0');
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** The RFC 6238 code (SHA-1, 30 s, 6 digits) for time step `step`, as an authenticator app shows it. */
function totp(key, step = Math.floor(Date.now() / 30_000)) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const number = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(number).padStart(6, '0');
}

/** A new account with a confirmed address, made through the API. */
async function newAccount() {
  const username = `tfa_${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const account = {
    username,
    email: `${username}@example.com`,
    password: `Copper kettle ${randomBytes(4).toString('hex')} hums by the window`,
  };
  const registered = await postJson('/api/v1/auth/register', account);
  assert.equal(registered.status, 202);
  const verified = await postJson('/api/v1/auth/verify-email', { token: await mailedVerificationToken(account.email) });
  assert.equal(verified.status, 200);
  return account;
}

/** Fills and sends the sign-in form; `code` goes into the code field once the page asks for it. */
async function submitSignIn(page, account) {
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByRole('textbox', { name: 'Email or username' }).fill(account.username);
  await form.getByLabel('Password', { exact: false }).and(page.locator('input')).fill(account.password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  return form;
}

test('two-factor sign-in: turned on in Security, then the password asks for the code, and a recovery code works once', async () => {
  const account = await newAccount();
  const { page, errors } = await openPage(browser);
  await page.goto('/sign-in');
  await submitSignIn(page, account);
  await page.waitForURL((url) => url.pathname !== '/sign-in');

  // Settings → Security: set up, read the key, confirm with the current code.
  await page.goto('/settings/security');
  await pageHeading(page, 'Security');
  await page.getByRole('button', { name: 'Set up' }).click();
  const key = base32Decode((await page.locator('code').first().innerText()).trim());
  await page.getByRole('textbox', { name: '6-digit code' }).fill(totp(key));
  await page.getByRole('button', { name: 'Turn on' }).click();
  await page.getByRole('heading', { name: /Save your recovery codes/ }).waitFor();
  const recoveryCodes = (await page.locator('pre').first().innerText())
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  assert.equal(recoveryCodes.length, 10, `recovery codes shown: ${recoveryCodes.join(', ')}`);
  await assertNoSeriousAxeViolations(page, 'Security with recovery codes');
  await page.getByRole('checkbox', { name: 'I have saved these codes' }).check();
  await page.getByRole('button', { name: 'Done' }).click();
  await page.getByText('On', { exact: true }).first().waitFor();
  await page.context().close();

  // A new browser: the password alone asks for the code.
  const second = await openPage(browser);
  await second.page.goto('/sign-in');
  const form = await submitSignIn(second.page, account);
  const codeField = form.getByRole('textbox', { name: 'Authentication code' });
  await codeField.waitFor();
  assert.equal(
    await codeField.evaluate((element) => element === document.activeElement),
    true,
    'the code field takes focus',
  );
  assert.equal(new URL(second.page.url()).pathname, '/sign-in', 'still on the sign-in page without the code');
  // A wrong code is refused at the field.
  const current = totp(key);
  await codeField.fill(current === '000000' ? '111111' : '000000');
  await form.getByRole('button', { name: 'Sign in' }).click();
  await form.getByText('That code did not work').waitFor();
  // The current code (the next one if the current was just used to turn it on) lets them in.
  await codeField.fill(totp(key));
  await form.getByRole('button', { name: 'Sign in' }).click();
  await second.page
    .waitForURL((url) => url.pathname !== '/sign-in', { timeout: 5_000 })
    .catch(async () => {
      await second.page.waitForTimeout(30_000 - (Date.now() % 30_000) + 200);
      await codeField.fill(totp(key));
      await form.getByRole('button', { name: 'Sign in' }).click();
      await second.page.waitForURL((url) => url.pathname !== '/sign-in');
    });
  // The sign-in answers 401 (code required, wrong code) by design; the browser logs those loads.
  assert.deepEqual(
    second.errors.filter((error) => !/status of 401/.test(error)),
    [],
  );
  await second.page.context().close();

  // A recovery code instead of the app's code, once.
  const third = await openPage(browser);
  await third.page.goto('/sign-in');
  const again = await submitSignIn(third.page, account);
  await again.getByRole('textbox', { name: 'Authentication code' }).fill(recoveryCodes[0]);
  await again.getByRole('button', { name: 'Sign in' }).click();
  await third.page.waitForURL((url) => url.pathname !== '/sign-in');
  await third.page.context().close();
  const reused = await postJson('/api/v1/auth/login', {
    login: account.username,
    password: account.password,
    totpCode: recoveryCodes[0],
  });
  assert.equal(reused.status, 401, 'a used recovery code does not work twice');
  assert.deepEqual(errors, []);
});
