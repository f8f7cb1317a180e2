import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { ErrorCode } from '@atrium/contracts';
import type { AtriumApp } from '../src/bootstrap';
import { AVATAR_STORAGE } from '../src/modules/avatars/storage/avatar-storage';
import { S3AvatarStorage } from '../src/modules/avatars/storage/s3-avatar.storage';
import { actors } from './support/actors';
import {
  AVATAR_RESPONSE_HEADERS,
  avatarUploads,
  BLUE,
  closeTo,
  expectError,
  file,
  GREEN,
  pixel,
  RED,
  rgb,
} from './support/avatars';
import { TestS3 } from './support/s3';
import { startTestApp, TestResources } from './support/test-app';

/**
 * Avatars in an S3-compatible bucket (s3rver, a real S3 server in the test process) instead of on
 * local disk: with S3_BUCKET set, every image goes to the bucket under S3_PREFIX and nothing to
 * DATA_DIR/uploads; what the API serves and deletes is the same as with the local driver.
 */
describe('avatars on S3', () => {
  const resources = new TestResources();
  let atrium: AtriumApp;
  let s3: TestS3;
  let dataDir: string;
  let bandsPng: Buffer;

  const { call, signedIn } = actors(() => atrium);
  const { uploadOk } = avatarUploads(call);
  const objectKey = (key: string): string => `avatars/${key}.webp`;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'atrium-avatars-s3-'));
    s3 = await TestS3.start('atrium-avatars');
    await resources.create();
    atrium = await startTestApp(resources, { DATA_DIR: dataDir, ...s3.env() });
    bandsPng = await rgb(600, 200, (x) => (x < 200 ? RED : x < 400 ? GREEN : BLUE))
      .png()
      .toBuffer();
  });

  afterAll(async () => {
    await atrium?.close();
    await resources.drop();
    await s3?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('uses the S3 driver, with the default prefix "avatars/"', () => {
    const storage = atrium.app.get(AVATAR_STORAGE);
    expect(storage).toBeInstanceOf(S3AvatarStorage);
    expect(storage).toMatchObject({ bucket: 'atrium-avatars', prefix: 'avatars/' });
  });

  it('an upload lands in the bucket as a 256×256 WebP under the prefix and is served with the usual headers', async () => {
    const { token } = await signedIn();
    const key = await uploadOk(token, file(bandsPng));

    expect(await s3.keys()).toEqual([objectKey(key)]);
    const stored = await s3.object(objectKey(key));
    expect(stored).toMatchObject({
      contentType: 'image/webp',
      cacheControl: 'public, max-age=31536000, immutable',
    });
    const meta = await sharp(stored?.body).metadata();
    expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({
      format: 'webp',
      width: 256,
      height: 256,
    });
    expect(meta.exif).toBeUndefined();

    const served = await call('GET', `/api/v1/avatars/${key}`);
    expect(served.statusCode).toBe(200);
    expect(served.headers).toMatchObject(AVATAR_RESPONSE_HEADERS);
    expect(served.rawPayload).toEqual(stored?.body);
    // cover + centre: the middle (green) band fills the square.
    expect(closeTo(await pixel(served.rawPayload, 128, 128), GREEN)).toBe(true);
  });

  it('replacing deletes the old object; DELETE removes the current one; a missing key is a 404', async () => {
    const { token } = await signedIn();
    const first = await uploadOk(token, file(bandsPng));
    expect(await s3.object(objectKey(first))).not.toBeNull();

    const second = await uploadOk(
      token,
      file(
        await rgb(64, 64, () => BLUE)
          .png()
          .toBuffer(),
      ),
    );
    expect(second).not.toBe(first);
    expect(await s3.object(objectKey(first))).toBeNull();
    expect(await s3.object(objectKey(second))).not.toBeNull();
    expectError(await call('GET', `/api/v1/avatars/${first}`), 404, ErrorCode.NOT_FOUND);
    const served = await call('GET', `/api/v1/avatars/${second}`);
    expect(served.statusCode).toBe(200);
    expect(closeTo(await pixel(served.rawPayload, 128, 128), BLUE)).toBe(true);

    const removed = await call('DELETE', '/api/v1/me/avatar', { token });
    expect(removed.statusCode).toBe(200);
    expect(removed.json().data).toEqual({ avatarUrl: null });
    expect(await s3.object(objectKey(second))).toBeNull();
    expectError(await call('GET', `/api/v1/avatars/${second}`), 404, ErrorCode.NOT_FOUND);
    // Removing again is fine.
    expect((await call('DELETE', '/api/v1/me/avatar', { token })).statusCode).toBe(200);

    // Well-formed but never issued, and malformed keys: 404s, as with the local driver.
    expectError(await call('GET', `/api/v1/avatars/${'0'.repeat(32)}`), 404, ErrorCode.NOT_FOUND);
    expectError(await call('GET', '/api/v1/avatars/..%2F..%2Fsecret'), 404, ErrorCode.NOT_FOUND);
  });

  it('writes nothing under DATA_DIR/uploads', async () => {
    expect(existsSync(join(dataDir, 'uploads'))).toBe(false);
    // Only ada's avatar is left in the bucket (turing removed theirs).
    expect(await s3.keys()).toHaveLength(1);
    expect(await readdir(dataDir)).not.toContain('uploads');
  });
});
