import { S3ServiceException } from '@aws-sdk/client-s3';
import { S3RVER_CREDENTIALS, S3RVER_REGION, TestS3 } from '../../../../test/support/s3';
import { newAvatarKey } from '../avatar-key';
import { S3AvatarStorage, s3ClientOf } from './s3-avatar.storage';

/** The driver against s3rver, a real S3-compatible server that checks request signatures. */
describe('S3AvatarStorage', () => {
  let s3: TestS3;
  let storage: S3AvatarStorage;

  const storageFor = (bucket: string, accessKeyId: string = S3RVER_CREDENTIALS.accessKeyId) =>
    S3AvatarStorage.fromConfig({
      driver: 's3',
      bucket,
      region: S3RVER_REGION,
      endpoint: s3.endpoint,
      credentials: { accessKeyId, secretAccessKey: S3RVER_CREDENTIALS.secretAccessKey },
      forcePathStyle: true,
      prefix: 'tenant-a/avatars/',
    });

  beforeAll(async () => {
    s3 = await TestS3.start('avatars-unit');
    storage = await storageFor(s3.bucket);
  });

  afterAll(async () => {
    storage?.onApplicationShutdown();
    await s3?.stop();
  });

  it('stores one object per key under the prefix, typed and immutable; reads it back; deletes it idempotently', async () => {
    const key = newAvatarKey();
    await storage.put(key, Buffer.from('webp bytes'));
    expect(storage.objectKeyOf(key)).toBe(`tenant-a/avatars/${key}.webp`);
    expect(await s3.keys()).toEqual([`tenant-a/avatars/${key}.webp`]);
    expect(await s3.object(`tenant-a/avatars/${key}.webp`)).toEqual({
      body: Buffer.from('webp bytes'),
      contentType: 'image/webp',
      cacheControl: 'public, max-age=31536000, immutable',
    });
    expect(await storage.get(key)).toEqual(Buffer.from('webp bytes'));

    // A second put under the same key replaces the object whole.
    await storage.put(key, Buffer.from('other bytes'));
    expect(await storage.get(key)).toEqual(Buffer.from('other bytes'));

    await storage.delete(key);
    expect(await s3.keys()).toEqual([]);
    expect(await storage.get(key)).toBeNull();
    await expect(storage.delete(key)).resolves.toBeUndefined();
    expect(await storage.get(newAvatarKey())).toBeNull();
  });

  it('refuses anything but a server-made key before sending a request', async () => {
    const bad = [
      '../secret',
      '../../etc/passwd',
      '/etc/passwd',
      'A'.repeat(32),
      `${'a'.repeat(31)}/`,
      '',
      'a'.repeat(33),
    ];
    for (const key of bad) {
      expect(() => storage.objectKeyOf(key)).toThrow('Not an avatar key');
      await expect(storage.get(key)).rejects.toThrow('Not an avatar key');
      await expect(storage.put(key, Buffer.from('x'))).rejects.toThrow('Not an avatar key');
      await expect(storage.delete(key)).rejects.toThrow('Not an avatar key');
    }
    expect(await s3.keys()).toEqual([]);
  });

  it('reports only a missing object as "none": a missing bucket or unknown credentials are errors', async () => {
    const noBucket = await storageFor('no-such-bucket');
    // s3rver knows one access key id; it does not verify SigV4 signatures themselves.
    const stranger = await storageFor(s3.bucket, 'NOT-A-KEY-ID');
    try {
      const key = newAvatarKey();
      await expect(noBucket.get(key)).rejects.toMatchObject({ name: 'NoSuchBucket' });
      await expect(noBucket.put(key, Buffer.from('x'))).rejects.toBeInstanceOf(S3ServiceException);
      await expect(stranger.get(key)).rejects.toMatchObject({ name: 'InvalidAccessKeyId' });
      await expect(stranger.delete(key)).rejects.toMatchObject({ name: 'InvalidAccessKeyId' });
    } finally {
      noBucket.onApplicationShutdown();
      stranger.onApplicationShutdown();
    }
  });

  it('uses path-style URLs and the given endpoint, and skips the optional checksums there', async () => {
    const client = await s3ClientOf({
      region: 'auto',
      endpoint: 'https://account.r2.example.com',
      credentials: undefined,
      forcePathStyle: true,
    });
    try {
      expect(await client.config.region()).toBe('auto');
      expect(client.config.forcePathStyle).toBe(true);
      expect(await client.config.requestChecksumCalculation()).toBe('WHEN_REQUIRED');
    } finally {
      client.destroy();
    }
  });
});
