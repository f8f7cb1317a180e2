// Shared by the browser tests (`*.e2e.mjs`): Debian's Chromium through playwright-core, a fresh
// context per test with its errors recorded, and the axe check. Not a test file itself.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { AxeBuilder } from '@axe-core/playwright';
import { chromium } from 'playwright-core';

export const BASE_URL = (process.env.BASE_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Generous: a wait ends as soon as the page is ready; CI machines are sometimes busy. On a slow
// 2-core VM (the whole suite in 615 s, two files at a time) the editor took over 30 s to show in
// two tests whose API answers had all come within 1.7 s.
export const TIMEOUT_MS = 60_000;

const API_MAIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../api/dist/main.js');
const START_TIMEOUT_MS = 120_000;

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

const FAILURES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), 'artifacts/failures');

/**
 * `error`, with what `page` showed when it happened: its address, its ARIA tree (what `getByRole`
 * sees: an element hidden behind a dialog is not in it) and a screenshot in e2e/artifacts/failures.
 * A wait that timed out then says what was on the screen instead.
 * @param {import('playwright-core').Page} page
 * @param {string} name the screenshot's file name
 * @param {unknown} error
 */
export async function withPageState(page, name, error) {
  if (!(error instanceof Error) || page.isClosed()) return error;
  const parts = [`The page at the failure: ${page.url()}`];
  try {
    await mkdir(FAILURES_DIR, { recursive: true });
    const shot = join(FAILURES_DIR, `${name}.png`);
    await page.screenshot({ path: shot, fullPage: true, timeout: 10_000 });
    parts.push(`screenshot: ${shot}`);
    const tree = await page.locator('body').ariaSnapshot({ timeout: 10_000 });
    parts.push(`ARIA tree:\n${tree.length > 6000 ? `${tree.slice(0, 6000)}\n…` : tree}`);
  } catch (stateError) {
    parts.push(
      `(the page's state could not be read: ${stateError instanceof Error ? stateError.message : stateError})`,
    );
  }
  // The reporters print the stack, which holds the message as it was when the error was made.
  const state = `\n\n${parts.join('\n')}`;
  error.message += state;
  if (error.stack) error.stack += state;
  return error;
}

/**
 * A fresh page (own cookies and storage) with console errors, page errors and CSP violations recorded.
 * @param {import('playwright-core').Browser} browser
 * @param {string} [baseURL] the API under test (BASE_URL unless a test started its own)
 */
export async function openPage(browser, baseURL = BASE_URL) {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 } });
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

// ---------------------------------------------------------------------------------------------
// Layout and accessibility checks (layout.e2e.mjs, a11y.e2e.mjs).
// ---------------------------------------------------------------------------------------------

/**
 * Every public page (no request to the rate-limited auth routes: the email-link pages are given no
 * usable token), with its h1; the home page's may change with its content.
 */
export const PUBLIC_PAGES = [
  { path: '/', heading: undefined },
  { path: '/status', heading: 'System status' },
  // Setup while the site has no admin, "This site is set up" afterwards.
  { path: '/setup', heading: undefined },
  // The feed (empty, or with posts other tests published) and a post that does not exist.
  { path: '/posts', heading: 'Latest posts' },
  { path: '/posts/no-such-post', heading: 'Post not found' },
  { path: '/u/no_such_member', heading: 'Profile not found' },
  { path: '/sign-in', heading: 'Sign in' },
  { path: '/sign-up', heading: 'Create your account' },
  { path: '/forgot-password', heading: 'Forgot your password?' },
  { path: `/reset-password?token=${'a'.repeat(43)}`, heading: 'Choose a new password' },
  { path: '/verify-email?token=cut-short', heading: 'This link is incomplete or damaged' },
  { path: '/confirm-email?token=cut-short', heading: 'This link is incomplete or damaged' },
  // Display preferences for visitors (kept on the device).
  { path: '/accessibility', heading: 'Accessibility' },
  { path: '/no/such/page', heading: 'Page not found' },
];

/**
 * Every page as the signed-in `username` sees it: home and their public profile, then every
 * settings page; for the lists, the list and its rows' action (the shared account has a second
 * session and a token, see `sharedVerifiedAccount`).
 * @param {string} username
 */
export const signedInPages = (username) => [
  { path: '/', heading: undefined },
  { path: `/u/${username}`, heading: undefined },
  { path: '/posts', heading: 'Latest posts' },
  // Not a moderator: the page says it is not for them.
  { path: '/moderation', heading: 'Moderation' },
  // Not an author: the page says writing is not open to them.
  { path: '/write', heading: 'Writing is not open to your account' },
  // No admin permission: the administration page says it cannot be opened.
  { path: '/admin', heading: 'You cannot open this page' },
  // The media library sits behind the writing gate. Not right after /write: the same page (and
  // title) twice would leave navigateInApp waiting for a new title.
  { path: '/media', heading: 'Writing is not open to your account' },
  ...SETTINGS_PAGES,
];

export const SETTINGS_PAGES = [
  { path: '/settings/profile', heading: 'Profile' },
  { path: '/settings/sessions', heading: 'Sessions', list: 'Sessions', action: 'End session' },
  { path: '/settings/security', heading: 'Security' },
  { path: '/settings/tokens', heading: 'Access tokens', list: 'Tokens', action: 'Revoke' },
  { path: '/settings/account', heading: 'Account' },
  { path: '/settings/accessibility', heading: 'Accessibility' },
];

/** axe-core's browser build, injected into the page as a script tag. */
export const AXE_SCRIPT = fileURLToPath(import.meta.resolve('axe-core/axe.min.js'));

/**
 * A context for the layout and accessibility checks. `bypassCSP`: the page's CSP allows no inline
 * script, and `addScriptTag` injects axe as one (CSP itself is checked by smoke.e2e.mjs).
 * @param {import('playwright-core').Browser} browser
 * @param {import('playwright-core').BrowserContextOptions} [options]
 */
export async function openCheckContext(browser, options = {}) {
  const context = await browser.newContext({
    baseURL: BASE_URL,
    viewport: { width: 1280, height: 800 },
    bypassCSP: true,
    ...options,
  });
  context.setDefaultTimeout(TIMEOUT_MS);
  const page = await context.newPage();
  /** @type {string[]} */
  const errors = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  return { context, page, errors };
}

/**
 * Every axe violation on the page as it is now (all rules axe runs by default), listed for a
 * failure message; `blocking` are those of impact serious or critical.
 * @param {import('playwright-core').Page} page
 */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.addScriptTag({ path: AXE_SCRIPT });
  /** @type {{ id: string, impact: string, help: string, nodes: { target: string[], failureSummary?: string }[] }[]} */
  const violations = await page.evaluate(async () => {
    // @ts-expect-error injected above
    const results = await globalThis.axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((/** @type {any} */ v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((/** @type {any} */ n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  return { violations, blocking };
}

/** One line per violation and affected node, for reports and failure messages. */
export function describeViolations(violations) {
  return violations
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help}\n${v.nodes
          .map((n) => `    ${n.target.join(' ')}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`)
          .join('\n')}`,
    )
    .join('\n');
}

/**
 * Visible interactive elements that stick out of the viewport sideways, and whether the document
 * scrolls sideways. The skip link, parked above the page until focused, is not counted.
 * @param {import('playwright-core').Page} page
 */
export async function horizontalOverflow(page) {
  return page.evaluate(() => {
    /* global getComputedStyle -- runs in the page */
    const root = document.documentElement;
    const width = root.clientWidth;
    const outside = [];
    for (const element of document.querySelectorAll('a, button, input, select, textarea, [role=button], [tabindex]')) {
      if (element.classList.contains('skip-link')) continue;
      const box = element.getBoundingClientRect();
      const style = getComputedStyle(element);
      if (box.width === 0 || box.height === 0 || style.visibility === 'hidden' || style.display === 'none') continue;
      if (box.left < -0.5 || box.right > width + 0.5) {
        const name = (element.getAttribute('aria-label') ?? element.textContent ?? '').trim().slice(0, 40);
        outside.push(
          `<${element.tagName.toLowerCase()}> "${name}" at ${Math.round(box.left)}…${Math.round(box.right)} px`,
        );
      }
    }
    // Text cut short inside the page's buttons ("End s…"): a label narrower than its text. (The
    // header's account button shortens a long user name on purpose.)
    const truncated = [...document.querySelectorAll('main button, main a')]
      .filter((element) => element.getBoundingClientRect().width > 0)
      .flatMap((element) => [...element.querySelectorAll('.mantine-Button-label')])
      .filter((label) => label.scrollWidth > label.clientWidth + 1)
      .map((label) => `"${label.textContent?.trim()}" shows ${label.clientWidth} of ${label.scrollWidth} px`);
    return { width, scrollWidth: root.scrollWidth, outside, truncated };
  });
}

/**
 * Waits until the page shows its data: no loading placeholder (skeleton) left in <main>.
 * @param {import('playwright-core').Page} page
 */
export async function pageSettled(page) {
  await page.waitForFunction(() => !document.querySelector('main .mantine-Skeleton-root'));
}

/**
 * A client-side navigation, as a link click would make, without a link on the page: the router
 * follows `popstate`. A full load would ask the API for a new session (rate-limited auth routes).
 * Resolves once the new page's title shows.
 * @param {import('playwright-core').Page} page
 * @param {string} path
 */
export async function navigateInApp(page, path) {
  const title = await page.title();
  await page.evaluate((to) => {
    /* global PopStateEvent -- runs in the page */
    window.history.pushState(null, '', to);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, path);
  // Every page has a title of its own: once it shows, the new page is there.
  await page.waitForFunction((before) => document.title !== before, title);
}

/** The verification link in the API's mail outbox (`DATA_DIR/outbox/*.eml`) for `email`. */
export async function mailedVerificationToken(email) {
  const dataDir = process.env.DATA_DIR;
  assert.ok(dataDir, 'DATA_DIR is not set: point it at the data directory of the API under test (its mail outbox)');
  const outbox = join(dataDir, 'outbox');
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const names = await readdir(outbox).catch((error) => (error.code === 'ENOENT' ? [] : Promise.reject(error)));
    for (const name of names.filter((n) => n.endsWith('.eml'))) {
      // Quoted-printable: soft line breaks out, "=3D" is "=". Enough to find the address and the token.
      const raw = (await readFile(join(outbox, name), 'latin1')).replace(/=\r?\n/g, '').replace(/=3D/gi, '=');
      if (!raw.toLowerCase().includes(email.toLowerCase())) continue;
      const token = /\/verify-email\?token=([A-Za-z0-9_-]+)/.exec(raw)?.[1];
      if (token) return token;
    }
    if (Date.now() > deadline) assert.fail(`No verification mail to ${email} in ${outbox}`);
    await sleep(100);
  }
}

/** POST JSON to the API under test; waits out a 429 of the auth routes' per-client limit once. */
export async function postJson(path, body, headers = {}) {
  for (let attempt = 0; ; attempt += 1) {
    const response = await fetch(`${BASE_URL}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    if (response.status !== 429 || attempt > 0) return response;
    await sleep((Number(response.headers.get('retry-after')) || 5) * 1000);
  }
}

/**
 * The account the layout and accessibility checks sign in with, made once per API under test and
 * kept in `DATA_DIR/e2e-browser-account.json` for the next test file: the auth routes allow 20
 * requests a minute per client, and every browser test file runs within that minute. Made through
 * the API: sign-up, the link from the mail, one sign-in (a second "device" in the sessions list) and
 * a personal access token (a row in the tokens list).
 * @returns {Promise<{ username: string, email: string, password: string }>}
 */
export async function sharedVerifiedAccount() {
  const dataDir = process.env.DATA_DIR;
  assert.ok(dataDir, 'DATA_DIR is not set: point it at the data directory of the API under test (its mail outbox)');
  const file = join(dataDir, 'e2e-browser-account.json');
  const kept = await readFile(file, 'utf8').catch((error) =>
    error.code === 'ENOENT' ? undefined : Promise.reject(error),
  );
  if (kept) return JSON.parse(kept);

  const suffix = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const username = `e2e_${suffix}`;
  const email = `${username}@example.com`;
  const password = `Amber lantern ${randomBytes(4).toString('hex')} drifts over quiet fjords`;
  const registered = await postJson('/api/v1/auth/register', { email, username, password });
  assert.equal(registered.status, 202, `sign-up answered ${registered.status}`);
  const verified = await postJson('/api/v1/auth/verify-email', { token: await mailedVerificationToken(email) });
  assert.equal(verified.status, 200, `email confirmation answered ${verified.status}`);
  const signedIn = await postJson('/api/v1/auth/login', { login: username, password });
  assert.equal(signedIn.status, 200, `sign-in answered ${signedIn.status}`);
  const { data } = await signedIn.json();
  const token = await postJson(
    '/api/v1/me/tokens',
    { name: 'Deploy from the build server', scopes: ['profile:read'] },
    { authorization: `Bearer ${data.accessToken}` },
  );
  assert.equal(token.status, 201, `creating a personal access token answered ${token.status}`);

  const account = { username, email, password };
  await writeFile(file, JSON.stringify(account));
  return account;
}

/**
 * Signs in through the sign-in form (the session's refresh cookie is the browser's own) and waits
 * for the page it leads to.
 * @param {import('playwright-core').Page} page
 * @param {{ username: string, password: string }} account
 */
export async function signInThroughForm(page, { username, password }) {
  await page.goto('/sign-in');
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByRole('textbox', { name: 'Email or username' }).fill(username);
  await form.getByLabel('Password', { exact: false }).and(page.locator('input')).fill(password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  // Off the sign-in page once signed in (the header's account button is folded away on a phone).
  await page.waitForURL((url) => url.pathname !== '/sign-in');
  await pageHeading(page);
}

/**
 * The page's h1 (any, without a name), once it is shown.
 * @param {import('playwright-core').Page} page
 * @param {string} [name]
 */
export async function pageHeading(page, name) {
  const heading = page.getByRole('main').getByRole('heading', { level: 1, ...(name ? { name } : {}) });
  await heading.first().waitFor();
  return heading.first();
}

// ---------------------------------------------------------------------------------------------
// An API instance of a test's own (setup.e2e.mjs; reading.e2e.mjs without the admin's credentials).
// ---------------------------------------------------------------------------------------------

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * A fresh embedded Atrium of the test's own (its own DATA_DIR, port and in-memory cache), as `npm
 * start` runs it, with `env` added (ADMIN_EMAIL …); ready once `/readiness` answers and
 * `readyWhen(log)` holds. `log()` is everything it printed so far; `stop()` ends it and removes its data.
 * @param {{ env?: Record<string, string>, readyWhen?: (log: string) => boolean }} [options]
 */
export async function startEmbeddedInstance({ env: extra = {}, readyWhen = () => true } = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'atrium-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    // Nothing of the shared instance's or the shell's configuration: embedded mode, defaults.
    if (/^(DATABASE_URL|REDIS_URL|REDIS_PREFIX|ADMIN_|JWT_|DATA_ENCRYPTION_KEY|CORS_ORIGINS|SMTP_URL)/.test(name)) {
      delete env[name];
    }
  }
  const child = spawn(process.execPath, [API_MAIN], {
    env: {
      ...env,
      NODE_ENV: 'development',
      PORT: String(port),
      HOST: '127.0.0.1',
      APP_URL: url,
      DATA_DIR: dataDir,
      ...extra,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  // Kept for after the run when E2E_LOG_DIR is set (CI sets it): the instance's requests and errors.
  if (process.env.E2E_LOG_DIR) {
    await mkdir(process.env.E2E_LOG_DIR, { recursive: true });
    const file = createWriteStream(
      join(process.env.E2E_LOG_DIR, `${basename(process.argv[1] ?? 'instance', '.e2e.mjs')}-${port}.log`),
    );
    child.stdout.pipe(file);
    child.stderr.pipe(file);
  }
  const exited = new Promise((resolveExit) => child.once('exit', (code) => resolveExit(code)));

  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(30_000, undefined, { ref: false })]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      assert.fail(`the fresh instance exited with ${child.exitCode} before it was ready:\n${output.slice(-3000)}`);
    }
    const ready = await fetch(`${url}/readiness`).then(
      (response) => response.ok,
      () => false,
    );
    // The start-up log's lines come once the server listens.
    if (ready && readyWhen(output)) break;
    if (Date.now() > deadline) {
      await stop();
      assert.fail(`the fresh instance was not ready within ${START_TIMEOUT_MS / 1000} s:\n${output.slice(-3000)}`);
    }
    await sleep(250);
  }
  return { url, stop, log: () => output, dataDir };
}

/**
 * JSON calls to the API under test (`target()` is read at each call: tests choose it in `before`);
 * resolves to the parsed body, failing on an unexpected status.
 * @param {() => { url: string }} target
 */
export function apiCaller(target) {
  return async (method, path, { token, body, expect = 200 } = {}) => {
    const response = await fetch(`${target().url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    assert.equal(response.status, expect, `${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
    return text ? JSON.parse(text) : undefined;
  };
}

/**
 * axe on the page as it is now, in the light and the dark scheme: no serious or critical finding.
 * Waits, in each scheme, for the colours to change and for transitions (a drawer sliding in) to end.
 * @param {import('playwright-core').Page} page
 * @param {string} where named in the failure message
 */
export async function assertAxeCleanInBothSchemes(page, where) {
  const problems = [];
  for (const scheme of /** @type {const} */ (['light', 'dark'])) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForFunction(
      (expected) => document.documentElement.getAttribute('data-mantine-color-scheme') === expected,
      scheme,
    );
    // Colour transitions (buttons, inputs: 100 ms at most) have ended.
    await page.waitForTimeout(200);
    await animationsEnded(page);
    const { blocking } = await axeViolations(page);
    if (blocking.length > 0) problems.push(`${where} (${scheme}):\n${describeViolations(blocking)}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  assert.deepEqual(problems, [], problems.join('\n'));
}

/**
 * The API a test file runs against, and its admin's credentials. With `shared` (the default), the
 * one CI started (BASE_URL) when ADMIN_LOGIN (or ADMIN_EMAIL) and ADMIN_PASSWORD are given; else an
 * embedded instance of the file's own (with `env` added to its environment), whose first admin is
 * made up here and created from ADMIN_EMAIL at its start.
 * @param {string} name the made-up admin's address starts with it
 * @param {{ env?: Record<string, string>, shared?: boolean }} [options]
 */
export async function adminTarget(name, { env = {}, shared = true } = {}) {
  const login = process.env.ADMIN_LOGIN ?? process.env.ADMIN_EMAIL;
  const password = process.env.ADMIN_PASSWORD;
  if (shared && login && password) return { url: BASE_URL, login, password, stop: async () => {} };
  const made = {
    login: `${name}-${randomBytes(3).toString('hex')}@example.com`,
    password: `Harbour lantern ${randomBytes(6).toString('hex')} drifts over quiet water`,
  };
  const instance = await startEmbeddedInstance({
    env: { ADMIN_EMAIL: made.login, ADMIN_PASSWORD: made.password, ...env },
    readyWhen: (log) => log.includes('created from ADMIN_EMAIL'),
  });
  return { url: instance.url, ...made, stop: instance.stop };
}

/**
 * Waits until the page's transitions (a drawer sliding in, colours changing) have ended; endless
 * ones (a spinner) never end, so only those that finish count.
 * @param {import('playwright-core').Page} page
 */
export async function animationsEnded(page) {
  await page.waitForFunction(() =>
    document
      .getAnimations()
      .every((animation) => animation.playState !== 'running' || animation.effect?.getTiming().iterations === Infinity),
  );
}

/**
 * Waits for the notification that says `text`, then closes it: a toast stays while the pointer is
 * over it, so one left over a button or link would take the next click.
 * @param {import('playwright-core').Page} page
 * @param {string | RegExp} text
 */
export async function notified(page, text) {
  const notice = page.locator('.mantine-Notification-root', { hasText: text }).first();
  await notice.waitFor();
  await notice.getByRole('button', { name: 'Close notification' }).click();
  await notice.waitFor({ state: 'detached' });
}
