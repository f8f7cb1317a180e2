import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { DataSource } from 'typeorm';
import { ErrorCode, PatScope } from '@atrium/contracts';
import type { AtriumApp } from '../src/bootstrap';
import { AVATAR_MAX_BYTES } from '../src/modules/avatars/avatar-image';
import { LocalDiskAvatarStorage } from '../src/modules/avatars/storage/local-disk-avatar.storage';
import { actors } from './support/actors';
import { fetchAndCheck } from './support/api';
import { avatarUploads, BLUE, closeTo, expectError, file, GREEN, type Part, pixel, RED, rgb } from './support/avatars';
import { PASSWORD } from './support/factories';
import { startTestApp, TestResources } from './support/test-app';

const SECRET_MARKER = 'TOP-SECRET-OUTSIDE-THE-STORE';
const HTML_PAYLOAD = '<html><body><script>alert(document.cookie)</script></body></html>';

/**
 * Avatars end to end on real Postgres and Redis and a real folder: uploads are judged by their
 * bytes, re-encoded without metadata, stored under server-made keys, and served inertly.
 */
describe('avatars', () => {
  const resources = new TestResources();
  let atrium: AtriumApp;
  let dataDir: string;
  let store: LocalDiskAvatarStorage;

  /** Three vertical bands (red | green | blue), with EXIF (camera, copyright and GPS position). */
  let bandsPng: Buffer;

  const { call, signedIn } = actors(() => atrium);
  const uploads = avatarUploads(call);
  const { upload } = uploads;
  /** Uploads (the bands PNG unless told) and returns the new key (asserting success). */
  const uploadOk = (token: string, part: Part = file(bandsPng)): Promise<string> => uploads.uploadOk(token, part);

  const avatarKeyOf = async (userId: string): Promise<string | null> => {
    const [row] = await atrium.app
      .get(DataSource)
      .query<Array<{ avatar_key: string | null }>>(`SELECT avatar_key FROM users WHERE id = $1`, [userId]);
    return row.avatar_key;
  };

  const storedFiles = async (): Promise<string[]> => {
    if (!existsSync(store.root)) return [];
    const entries = await readdir(store.root, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => e.name);
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'atrium-avatars-'));
    await resources.create();
    atrium = await startTestApp(resources, { DATA_DIR: dataDir });
    store = new LocalDiskAvatarStorage(join(dataDir, 'uploads', 'avatars'));
    bandsPng = await rgb(600, 200, (x) => (x < 200 ? RED : x < 400 ? GREEN : BLUE))
      .withExif({
        IFD0: { Make: 'Atrium Cam', Model: 'X1', Copyright: 'Jane Doe', Artist: 'Jane Doe' },
        IFD3: {
          GPSLatitudeRef: 'N',
          GPSLatitude: '48/1 51/1 24/1',
          GPSLongitudeRef: 'E',
          GPSLongitude: '2/1 21/1 3/1',
        },
      })
      .png()
      .toBuffer();
  });

  afterAll(async () => {
    await atrium?.close();
    await resources.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('PNG with EXIF → 256×256 WebP, centre-cropped, without any metadata, served with inert, immutable headers', async () => {
    expect((await sharp(bandsPng).metadata()).exif).toBeDefined(); // the input really carries EXIF
    const { token, id } = await signedIn();

    const res = await upload(token, file(bandsPng));
    expect(res.statusCode).toBe(200);
    const key = await uploadOk(token); // a second upload, so the first one's cleanup is exercised too
    expect(await avatarKeyOf(id)).toBe(key);

    const served = await call('GET', `/api/v1/avatars/${key}`);
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/webp');
    expect(served.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.headers['content-security-policy']).toBe("default-src 'none'");

    const image = served.rawPayload;
    const meta = await sharp(image).metadata();
    expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({
      format: 'webp',
      width: 256,
      height: 256,
    });
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(image.includes('Jane Doe')).toBe(false);
    // cover + centre: the middle (green) band fills the square; red and blue are cropped away.
    expect(closeTo(await pixel(image, 4, 128), GREEN)).toBe(true);
    expect(closeTo(await pixel(image, 251, 128), GREEN)).toBe(true);

    // On disk it is exactly what is served, under the server-made key.
    expect(await store.get(key)).toEqual(image);
  });

  it('accepts JPEG (turned upright by its EXIF orientation) and WebP', async () => {
    const { token } = await signedIn();
    // Stored sideways with orientation 6 (rotate 90° clockwise to view): top red, bottom blue.
    const sideways = await rgb(200, 200, (_x, y) => (y < 100 ? RED : BLUE))
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    expect((await sharp(sideways).metadata()).orientation).toBe(6);
    const jpegKey = await uploadOk(token, file(sideways, 'photo.jpg', 'image/jpeg'));
    const upright = (await call('GET', `/api/v1/avatars/${jpegKey}`)).rawPayload;
    expect((await sharp(upright).metadata()).orientation).toBeUndefined();
    // Viewed upright, the red top is on the right and the blue bottom on the left.
    expect(closeTo(await pixel(upright, 20, 128), BLUE)).toBe(true);
    expect(closeTo(await pixel(upright, 235, 128), RED)).toBe(true);

    const webp = await rgb(300, 300, () => GREEN)
      .webp()
      .toBuffer();
    const webpKey = await uploadOk(token, file(webp, 'pic.webp', 'image/webp'));
    const meta = await sharp((await call('GET', `/api/v1/avatars/${webpKey}`)).rawPayload).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 256, 256]);
  });

  it('judges the bytes, not the name or Content-Type: SVG, HTML, GIF, PDF and disguised files are refused', async () => {
    const { token, id } = await signedIn();
    const gif = await rgb(32, 32, () => RED)
      .gif()
      .toBuffer();
    const pngSignatureThenHtml = Buffer.concat([bandsPng.subarray(0, 8), Buffer.from(HTML_PAYLOAD)]);
    const refused: Array<[string, Part]> = [
      [
        'SVG with a script',
        file(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`, 'a.svg', 'image/svg+xml'),
      ],
      ['SVG disguised as PNG', file(`<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>`)],
      ['HTML saved as .png, sent as image/png', file(HTML_PAYLOAD)],
      ['text saved as .png', file('just some text, honestly a picture')],
      ['GIF named .png', file(gif)],
      ['PDF named .png', file('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')],
      ['ZIP named .png', file(Buffer.from('504b030414000000080000000000000000000000000000000000', 'hex'))],
      ['PNG signature followed by HTML', file(pngSignatureThenHtml)],
    ];
    for (const [what, part] of refused) {
      const res = await upload(token, part);
      expect({ what, status: res.statusCode, code: res.json().error?.code }).toEqual({
        what,
        status: 415,
        code: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
      });
      expect(res.json().error.message).toMatch(/PNG, JPEG or WebP/);
    }
    const gifRes = await upload(token, file(gif));
    expect(gifRes.json().error.message).toMatch(/GIF/);

    // A real PNG header (signature + IHDR) with HTML where the pixels should be: sniffs as PNG, cannot decode.
    const ihdrThenHtml = Buffer.concat([bandsPng.subarray(0, 33), Buffer.from(HTML_PAYLOAD)]);
    const broken = await upload(token, file(ihdrThenHtml));
    expectError(broken, 400, ErrorCode.VALIDATION_ERROR);
    expect(broken.json().error.details).toEqual([expect.objectContaining({ field: 'file', code: 'UNREADABLE_IMAGE' })]);

    // Nothing was stored and the account has no avatar.
    expect(await avatarKeyOf(id)).toBeNull();
  });

  it('a real PNG with HTML appended is accepted, but only re-encoded pixels are stored and served', async () => {
    const { token } = await signedIn();
    const key = await uploadOk(token, file(Buffer.concat([bandsPng, Buffer.from(HTML_PAYLOAD)])));
    const served = await call('GET', `/api/v1/avatars/${key}`);
    expect(served.headers['content-type']).toBe('image/webp');
    expect(served.rawPayload.includes('<script>')).toBe(false);
    expect((await sharp(served.rawPayload).metadata()).format).toBe('webp');
  });

  it('over real HTTP: a browser-style FormData upload works, an oversized one gets a 413 envelope', async () => {
    const { token } = await signedIn();
    await atrium.app.listen(0, '127.0.0.1');
    const { port } = atrium.app.getHttpServer().address() as { port: number };
    const put = (data: Buffer, name: string, type: string) => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(data)], { type }), name);
      return fetchAndCheck(`http://127.0.0.1:${port}/api/v1/me/avatar`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}` },
        body: form,
      });
    };
    const ok = await put(bandsPng, 'me.png', 'image/png');
    expect(ok.status).toBe(200);
    const { avatarUrl } = ok.json<{ data: { avatarUrl: string } }>().data;
    const served = await fetchAndCheck(`http://127.0.0.1:${port}${avatarUrl}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/webp');
    expect((await sharp(served.body).metadata()).width).toBe(256);

    const tooBig = await put(randomBytes(AVATAR_MAX_BYTES + 100 * 1024), 'big.png', 'image/png');
    expect(tooBig.status).toBe(413);
    expect(tooBig.json()).toMatchObject({ status: 'error', error: { code: ErrorCode.PAYLOAD_TOO_LARGE } });
  });

  it('takes at most 2 MB (413 in the error envelope); exactly 2 MB is fine', async () => {
    const { token, id } = await signedIn();
    // PNG decoders stop at IEND, so padding after it changes the size and nothing else.
    const padded = (size: number) => Buffer.concat([bandsPng, Buffer.alloc(size - bandsPng.length, 0x20)]);

    const tooBig = await upload(token, file(padded(AVATAR_MAX_BYTES + 1)));
    expectError(tooBig, 413, ErrorCode.PAYLOAD_TOO_LARGE);
    expect(tooBig.json().error.message).toMatch(/larger than 2 MB/);

    // A 3 MB photo of noise, announced by Content-Length: turned away before it is read.
    const noise = await sharp(randomBytes(1000 * 1000 * 3), { raw: { width: 1000, height: 1000, channels: 3 } })
      .png()
      .toBuffer();
    expect(noise.length).toBeGreaterThan(AVATAR_MAX_BYTES);
    expectError(await upload(token, file(noise)), 413, ErrorCode.PAYLOAD_TOO_LARGE);
    expect(await avatarKeyOf(id)).toBeNull();

    await uploadOk(token, file(padded(AVATAR_MAX_BYTES)));
  });

  it('refuses decompression bombs (too many pixels) without decoding them', async () => {
    const { token } = await signedIn();
    // 6000×6000 of one colour compresses to a few kB but would decode to 108 MB.
    const bomb = await sharp({ create: { width: 6000, height: 6000, channels: 3, background: '#fff' } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(bomb.length).toBeLessThan(AVATAR_MAX_BYTES);
    const res = await upload(token, file(bomb));
    expectError(res, 400, ErrorCode.VALIDATION_ERROR);
    expect(res.json().error.details).toEqual([expect.objectContaining({ code: 'TOO_MANY_PIXELS' })]);
  });

  it('needs exactly one file in the field "file": none, extra fields, two files, other field names, JSON → 400/415', async () => {
    const { token } = await signedIn();
    const noFile = await call('PUT', '/api/v1/me/avatar', { token, multipart: [] });
    expectError(noFile, 400, ErrorCode.VALIDATION_ERROR);
    expect(noFile.json().error.message).toMatch(/No file/);

    const cases: Part[][] = [
      [{ name: 'caption', data: 'me at the beach' }],
      [file(bandsPng), { name: 'caption', data: 'me at the beach' }],
      [file(bandsPng), file(bandsPng)],
      [{ ...file(bandsPng), name: 'avatar' }],
    ];
    for (const parts of cases) {
      const res = await call('PUT', '/api/v1/me/avatar', { token, multipart: parts });
      expectError(res, 400, ErrorCode.VALIDATION_ERROR);
      expect(res.json().error.message).toMatch(/exactly one file/);
    }

    const json = await call('PUT', '/api/v1/me/avatar', { token, body: { file: bandsPng.toString('base64') } });
    expectError(json, 415, ErrorCode.UNSUPPORTED_MEDIA_TYPE);
    const rawPng = await call('PUT', '/api/v1/me/avatar', {
      token,
      payload: bandsPng,
      headers: { 'content-type': 'image/png' },
    });
    expectError(rawPng, 415, ErrorCode.UNSUPPORTED_MEDIA_TYPE);
    const malformed = await call('PUT', '/api/v1/me/avatar', {
      token,
      payload: Buffer.from('--x\r\nnot a part'),
      headers: { 'content-type': 'multipart/form-data' },
    });
    expect(malformed.statusCode).toBe(400);
  });

  it(`needs authentication, and a personal access token needs the ${PatScope.PROFILE_WRITE} scope`, async () => {
    expectError(
      await call('PUT', '/api/v1/me/avatar', { multipart: [file(bandsPng)] }),
      401,
      ErrorCode.UNAUTHENTICATED,
    );
    expectError(await call('DELETE', '/api/v1/me/avatar'), 401, ErrorCode.UNAUTHENTICATED);

    const { token, id } = await signedIn();
    const patWith = async (scopes: string[]): Promise<string> => {
      const res = await call('POST', '/api/v1/me/tokens', { token, body: { name: scopes.join(' '), scopes } });
      expect(res.statusCode).toBe(201);
      return res.json().data.token as string;
    };
    const reader = await patWith([PatScope.PROFILE_READ]);
    expectError(await upload(reader, file(bandsPng)), 403, ErrorCode.FORBIDDEN);
    expectError(await call('DELETE', '/api/v1/me/avatar', { token: reader }), 403, ErrorCode.FORBIDDEN);
    expect(await avatarKeyOf(id)).toBeNull();

    const writer = await patWith([PatScope.PROFILE_WRITE]);
    const key = await uploadOk(writer);
    expect(await avatarKeyOf(id)).toBe(key);
    expect((await call('DELETE', '/api/v1/me/avatar', { token: writer })).statusCode).toBe(200);
    expect(await avatarKeyOf(id)).toBeNull();
  });

  it('replacing deletes the old file; DELETE removes the image and the old URL 404s; both are audited', async () => {
    const { token, id } = await signedIn();
    const first = await uploadOk(token);
    expect(existsSync(store.pathOf(first))).toBe(true);

    const second = await uploadOk(
      token,
      file(
        await rgb(64, 64, () => BLUE)
          .png()
          .toBuffer(),
      ),
    );
    expect(second).not.toBe(first);
    expect(existsSync(store.pathOf(first))).toBe(false);
    expectError(await call('GET', `/api/v1/avatars/${first}`), 404, ErrorCode.NOT_FOUND);
    expect((await call('GET', `/api/v1/avatars/${second}`)).statusCode).toBe(200);
    expect((await call('GET', '/api/v1/auth/me', { token })).json().data.avatarUrl).toBe(`/api/v1/avatars/${second}`);

    const removed = await call('DELETE', '/api/v1/me/avatar', { token });
    expect(removed.statusCode).toBe(200);
    expect(removed.json().data).toEqual({ avatarUrl: null });
    expect(await avatarKeyOf(id)).toBeNull();
    expect(existsSync(store.pathOf(second))).toBe(false);
    expect((await call('GET', '/api/v1/auth/me', { token })).json().data.avatarUrl).toBeNull();
    const gone = await call('GET', `/api/v1/avatars/${second}`);
    expectError(gone, 404, ErrorCode.NOT_FOUND);

    // Removing again is fine (nothing to do, nothing audited).
    expect((await call('DELETE', '/api/v1/me/avatar', { token })).statusCode).toBe(200);
    const audit = await atrium.app
      .get(DataSource)
      .query<Array<{ action: string; metadata: Record<string, unknown> }>>(
        `SELECT action, metadata FROM audit_events WHERE actor_id = $1 AND action LIKE 'user.avatar%' ORDER BY created_at, id`,
        [id],
      );
    expect(audit.map((a) => a.action)).toEqual(['user.avatar_changed', 'user.avatar_changed', 'user.avatar_removed']);
    expect(audit[1].metadata).toMatchObject({ key: second, previousKey: first, sourceFormat: 'png' });
    expect(audit[2].metadata).toMatchObject({ previousKey: second });
  });

  it('concurrent uploads by one user leave exactly one image behind: the current one', async () => {
    const { token, id } = await signedIn();
    const before = new Set(await storedFiles());
    const results = await Promise.all([1, 2, 3, 4].map(() => upload(token, file(bandsPng))));
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    const added = (await storedFiles()).filter((name) => !before.has(name));
    expect(added).toEqual([`${await avatarKeyOf(id)}.webp`]);
  });

  it('only ever acts on your own avatar: another user cannot replace or delete it', async () => {
    const alice = await signedIn();
    const bob = await signedIn();
    const aliceKey = await uploadOk(alice.token);

    // Bob's requests change Bob's avatar only; there is no route that names someone else's.
    await uploadOk(bob.token);
    expect((await call('DELETE', '/api/v1/me/avatar', { token: bob.token })).statusCode).toBe(200);
    // The public image URL takes GET only (405); the others are no routes at all (404).
    for (const [url, status] of [
      [`/api/v1/avatars/${aliceKey}`, 405],
      [`/api/v1/users/${alice.id}/avatar`, 404],
      [`/api/v1/me/avatar/${aliceKey}`, 404],
    ] as const) {
      expect((await call('DELETE', url, { token: bob.token })).statusCode).toBe(status);
      expect((await call('PUT', url, { token: bob.token, multipart: [file(bandsPng)] })).statusCode).toBe(status);
    }
    expect(await avatarKeyOf(alice.id)).toBe(aliceKey);
    expect(existsSync(store.pathOf(aliceKey))).toBe(true);
    // Public by design: anyone holding the URL can load it.
    expect((await call('GET', `/api/v1/avatars/${aliceKey}`)).statusCode).toBe(200);
  });

  it("a deleted account's avatar is no longer served", async () => {
    const leaver = await signedIn();
    const key = await uploadOk(leaver.token);
    expect((await call('GET', `/api/v1/avatars/${key}`)).statusCode).toBe(200);
    const deleted = await call('DELETE', '/api/v1/me', { token: leaver.token, body: { password: PASSWORD } });
    expect(deleted.statusCode).toBe(200);
    expectError(await call('GET', `/api/v1/avatars/${key}`), 404, ErrorCode.NOT_FOUND);
  });

  it('serves nothing but stored avatars: traversal, encoded and malformed keys are 404s', async () => {
    const { token } = await signedIn();
    const key = await uploadOk(token);
    // Files outside the store that an escape would reach.
    await writeFile(join(dataDir, 'secret.txt'), SECRET_MARKER);
    await writeFile(join(dataDir, 'uploads', 'secret.webp'), SECRET_MARKER);
    await mkdir(join(store.root, 'se'), { recursive: true });
    await writeFile(join(store.root, 'se', 'secret.webp'), SECRET_MARKER);

    const attempts = [
      '../../etc/passwd',
      '..%2F..%2F..%2Fetc%2Fpasswd',
      '%2e%2e%2f%2e%2e%2fsecret.txt',
      '..%2Fsecret.webp',
      '..%2F..%2Fsecret.txt',
      '..%252F..%252Fsecret.txt',
      '..%5C..%5Csecret.txt',
      '....%2F%2F....%2F%2Fsecret.txt',
      '%2Fetc%2Fpasswd',
      'secret',
      'se%2Fsecret',
      `${key}%00.png`,
      `${key}.webp`,
      `${key}%2F..%2F..%2Fsecret.webp`,
      key.toUpperCase(),
      `${key}0`,
      key.slice(1),
      '%20',
    ];
    for (const attempt of attempts) {
      const res = await call('GET', `/api/v1/avatars/${attempt}`);
      // A NUL byte is refused before routing (400), everything else is simply not an avatar (404).
      const status = attempt.includes('%00') ? 400 : 404;
      expect({ attempt, status: res.statusCode }).toEqual({ attempt, status });
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).not.toContain(SECRET_MARKER);
      expect(res.body).not.toContain('root:');
    }
    // A well-formed key that was never issued.
    const unknown = await call('GET', `/api/v1/avatars/${'0'.repeat(32)}`);
    expectError(unknown, 404, ErrorCode.NOT_FOUND);
    // And the real one still works.
    expect((await call('GET', `/api/v1/avatars/${key}`)).statusCode).toBe(200);
  });
});
