import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import type { OnApplicationShutdown } from '@nestjs/common';
import type { S3StorageConfig } from '../../../config/app-config';
import { AVATAR_CONTENT_TYPE } from '../avatar-image';
import { AVATAR_CACHE_CONTROL, assertAvatarKey } from '../avatar-key';
import type { AvatarStorage } from './avatar-storage';

type S3Sdk = typeof import('@aws-sdk/client-s3');

/**
 * The AWS SDK, loaded when an S3 store is configured: it is ~20 MB resident that the local-disk
 * default never needs (decision 91).
 */
const loadSdk = (): Promise<S3Sdk> => import('@aws-sdk/client-s3');

/** The S3 client of `config`: static keys when given, else the SDK's default credential chain. */
export async function s3ClientOf(config: Omit<S3StorageConfig, 'driver' | 'bucket' | 'prefix'>): Promise<S3Client> {
  return clientOf(await loadSdk(), config);
}

function clientOf(sdk: S3Sdk, config: Omit<S3StorageConfig, 'driver' | 'bucket' | 'prefix'>): S3Client {
  const options: S3ClientConfig = {
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle,
    credentials: config.credentials,
    // An unreachable store fails the request instead of hanging it.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
  };
  if (config.endpoint !== undefined) {
    // S3-compatible services differ in their support of the SDK's newer default checksums
    // (x-amz-checksum-* on every request); send and check them only where an operation needs them.
    options.requestChecksumCalculation = 'WHEN_REQUIRED';
    options.responseChecksumValidation = 'WHEN_REQUIRED';
  }
  return new sdk.S3Client(options);
}

/**
 * Avatars as objects in an S3 bucket (AWS or an S3-compatible service), one per key:
 * `${prefix}${key}.webp`, stored with `Content-Type: image/webp` and immutable caching, so the bucket
 * could also be served by a CDN. A PUT replaces an object atomically, so readers never see half an
 * image. Any number of API replicas can share the bucket.
 */
export class S3AvatarStorage implements AvatarStorage, OnApplicationShutdown {
  private constructor(
    private readonly sdk: S3Sdk,
    private readonly client: S3Client,
    readonly bucket: string,
    readonly prefix: string,
  ) {}

  static async fromConfig(config: S3StorageConfig): Promise<S3AvatarStorage> {
    const sdk = await loadSdk();
    return new S3AvatarStorage(sdk, clientOf(sdk, config), config.bucket, config.prefix);
  }

  /** The object key of `key`. Throws for anything but a server-made key. */
  objectKeyOf(key: string): string {
    assertAvatarKey(key);
    return `${this.prefix}${key}.webp`;
  }

  async put(key: string, data: Buffer): Promise<void> {
    await this.client.send(
      new this.sdk.PutObjectCommand({
        Bucket: this.bucket,
        Key: this.objectKeyOf(key),
        Body: data,
        ContentLength: data.length,
        ContentType: AVATAR_CONTENT_TYPE,
        CacheControl: AVATAR_CACHE_CONTROL,
      }),
    );
  }

  async get(key: string): Promise<Buffer | null> {
    const objectKey = this.objectKeyOf(key);
    try {
      const object = await this.client.send(new this.sdk.GetObjectCommand({ Bucket: this.bucket, Key: objectKey }));
      if (object.Body === undefined) return null;
      const bytes = await object.Body.transformToByteArray();
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    } catch (error) {
      // Only a missing object is "no image"; a missing bucket, bad credentials or an outage propagate.
      if (error instanceof this.sdk.NoSuchKey) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    // S3 answers 204 for a missing key too; some compatible services say NoSuchKey instead.
    try {
      await this.client.send(new this.sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKeyOf(key) }));
    } catch (error) {
      if (!(error instanceof this.sdk.NoSuchKey)) throw error;
    }
  }

  /** Closes the client's kept-alive connections. */
  onApplicationShutdown(): void {
    this.client.destroy();
  }
}
