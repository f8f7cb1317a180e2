/**
 * Where avatar images live. Keys are always server-made {@link isAvatarKey} keys; a driver refuses
 * anything else. The local-disk driver is the default; the S3 driver (S3 and compatibles: one object
 * per key under a prefix, `Content-Type: image/webp`) is used when S3_BUCKET is set. The choice is
 * made in `avatars.module.ts`.
 */
export interface AvatarStorage {
  /** Stores `data` under `key`, all or nothing: a reader never sees a partly written image. */
  put(key: string, data: Buffer): Promise<void>;
  /** The image stored under `key`, or null when there is none. */
  get(key: string): Promise<Buffer | null>;
  /** Removes the image under `key`; removing a missing one is not an error. */
  delete(key: string): Promise<void>;
}

export const AVATAR_STORAGE = Symbol('AVATAR_STORAGE');
