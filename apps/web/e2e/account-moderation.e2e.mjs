// Two things a person does on pages the other browser tests only open, in the built SPA against a
// fresh embedded API of the test's own:
//   node --test apps/web/e2e/account-moderation.e2e.mjs
// Moderation in bulk: three comments of a new member wait; the admin ticks two on the moderation
// page and approves them together, then rejects the third the same way. The avatar: a member picks
// a 300 × 200 picture, sees which square is kept (in words too), saves it, and the API then serves
// a 256 × 256 avatar that the header shows.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';

import sharp from 'sharp';

import {
  adminTarget,
  apiCaller,
  launchBrowser,
  navigateInApp,
  notified,
  pageHeading,
  signInThroughForm,
  TIMEOUT_MS,
} from './browser.mjs';

/** @type {import('playwright-core').Browser} */
let browser;
let target = { url: '', login: '', password: '', stop: async () => {} };
const call = apiCaller(() => target);

const randomPassword = () => `Harbour lantern ${randomBytes(6).toString('hex')} drifts over quiet water`;

before(async () => {
  browser = await launchBrowser();
  target = await adminTarget('moderator', { env: { COMMENT_MODERATION: 'first' }, shared: false });
});

after(async () => {
  await browser?.close();
  await target.stop();
});

async function adminToken() {
  const { data } = await call('POST', '/api/v1/auth/login', {
    body: { login: target.login, password: target.password },
  });
  return data.accessToken;
}

/** A new member with a confirmed address, and their access token. */
async function newMember(token) {
  const suffix = randomBytes(4).toString('hex');
  const account = { username: `reader_${suffix}`, email: `reader_${suffix}@example.com`, password: randomPassword() };
  await call('POST', '/api/v1/auth/register', { body: account, expect: 202 });
  const { data: users } = await call('GET', `/api/v1/users?search=${account.username}`, { token });
  const user = users.find((u) => u.username === account.username);
  await call('PATCH', `/api/v1/users/${user.id}`, { token, body: { emailVerified: true } });
  const { data: session } = await call('POST', '/api/v1/auth/login', {
    body: { login: account.username, password: account.password },
  });
  return { ...account, id: user.id, token: session.accessToken };
}

async function openContext() {
  const context = await browser.newContext({ baseURL: target.url, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(TIMEOUT_MS);
  const page = await context.newPage();
  /** @type {string[]} */
  const errors = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  return { context, page, errors };
}

test('a moderator approves two waiting comments at once and rejects the third in bulk', async () => {
  const token = await adminToken();
  const word = randomBytes(3).toString('hex');
  const { data: draft } = await call('POST', '/api/v1/posts', {
    token,
    body: {
      title: `Ferries ${word}`,
      body: 'The morning boat leaves at seven.\n\n## Wind\n\nAbove force eight, none.',
    },
    expect: 201,
  });
  await call('POST', `/api/v1/posts/${draft.id}/publish`, { token, body: {}, expect: 200 });
  const member = await newMember(token);
  const texts = ['calm', 'choppy', 'spam'].map((kind) => `A ${kind} crossing today, ${word}.`);
  /** @type {Record<string, string>} */
  const ids = {};
  for (const text of texts) {
    const { data } = await call('POST', `/api/v1/posts/${draft.id}/comments`, {
      token: member.token,
      body: { body: text },
      expect: 201,
    });
    assert.equal(data.status, 'pending', 'a new member’s comments wait');
    ids[text] = data.id;
  }

  const { context, page, errors } = await openContext();
  try {
    await signInThroughForm(page, { username: target.login, password: target.password });
    await navigateInApp(page, '/moderation');
    await pageHeading(page, 'Moderation');
    const table = page.getByRole('table', { name: 'Comments waiting for moderation' });
    const rowOf = (text) => table.getByRole('row').filter({ hasText: text });
    await rowOf(texts[2]).waitFor();

    await rowOf(texts[0]).getByRole('checkbox').check();
    await rowOf(texts[1]).getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Approve selected (2)' }).click();
    await notified(page, '2 comments approved.');
    await rowOf(texts[0]).waitFor({ state: 'detached' });
    await rowOf(texts[1]).waitFor({ state: 'detached' });

    await rowOf(texts[2]).getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Reject selected (1)' }).click();
    await notified(page, '1 comment rejected.');
    await rowOf(texts[2]).waitFor({ state: 'detached' });

    const { data: approved } = await call('GET', '/api/v1/comments?status=approved', { token });
    const { data: rejected } = await call('GET', '/api/v1/comments?status=rejected', { token });
    assert.deepEqual(
      approved
        .map((c) => c.id)
        .filter((id) => Object.values(ids).includes(id))
        .sort(),
      [ids[texts[0]], ids[texts[1]]].sort(),
    );
    assert.deepEqual(
      rejected.map((c) => c.id).filter((id) => Object.values(ids).includes(id)),
      [ids[texts[2]]],
    );
    assert.deepEqual(errors, [], errors.join('\n'));
  } finally {
    await context.close();
  }
});

test('a member picks a wide picture, sees the square that is kept, saves it as their avatar', async () => {
  const member = await newMember(await adminToken());
  // A 300 × 200 PNG: its left third blue-ish, the rest orange.
  const picture = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#e8590c' } })
    .composite([
      {
        input: await sharp({ create: { width: 100, height: 200, channels: 3, background: '#1c7ed6' } })
          .png()
          .toBuffer(),
        left: 0,
        top: 0,
      },
    ])
    .png()
    .toBuffer();

  const { context, page, errors } = await openContext();
  try {
    await signInThroughForm(page, member);
    await navigateInApp(page, '/settings/profile');
    const avatar = page.getByRole('region', { name: 'Avatar' });
    await avatar.getByRole('button', { name: 'Choose a picture' }).waitFor();
    await page.getByLabel('Avatar picture file').setInputFiles({
      name: 'harbour.png',
      mimeType: 'image/png',
      buffer: picture,
    });
    // The crop preview: the picture whole with the kept square marked, and the same in words.
    await avatar
      .getByText(
        'Kept: the marked 200 × 200 square in the middle of this 300 × 200 picture; the dimmed left and right edges are cut off.',
      )
      .waitFor();
    await avatar.getByRole('img', { name: 'Your chosen picture, with the part that will be kept marked' }).waitFor();
    await avatar.getByRole('img', { name: /^Preview of your new avatar/ }).waitFor();
    await page.getByRole('status').getByText('Preview ready: save it, or choose another picture.').waitFor();

    await avatar.getByRole('button', { name: 'Save avatar' }).click();
    await notified(page, 'Avatar saved.');
    await avatar.getByRole('button', { name: 'Remove avatar' }).waitFor();

    const { data: me } = await call('GET', '/api/v1/auth/me', { token: member.token });
    assert.ok(me.avatarUrl, 'the API has an avatar for them');
    const served = await fetch(new URL(me.avatarUrl, target.url));
    assert.equal(served.status, 200);
    const size = await sharp(Buffer.from(await served.arrayBuffer())).metadata();
    assert.deepEqual([size.width, size.height], [256, 256]);
    assert.deepEqual(errors, [], errors.join('\n'));
  } finally {
    await context.close();
  }
});
