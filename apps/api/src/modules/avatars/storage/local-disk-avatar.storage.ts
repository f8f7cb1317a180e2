import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { assertAvatarKey } from '../avatar-key';
import type { AvatarStorage } from './avatar-storage';

const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';

/**
 * Avatars as files under one folder (`${DATA_DIR}/uploads/avatars`), fanned out by the key's first
 * two hex digits so no folder grows past a few thousand entries. One machine only: API replicas
 * must share that folder (a volume), or use an object-store driver.
 */
export class LocalDiskAvatarStorage implements AvatarStorage {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** The file of `key`. Throws for anything but a server-made key, so no input can leave the folder. */
  pathOf(key: string): string {
    assertAvatarKey(key);
    const path = join(this.root, key.slice(0, 2), `${key}.webp`);
    // Belt and braces: the pattern already rules out separators and dots.
    if (!path.startsWith(this.root + sep)) throw new Error('Avatar path escapes the store');
    return path;
  }

  async put(key: string, data: Buffer): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    // Written beside the target, then renamed over it: rename is atomic within one file system.
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, data, { flag: 'wx', mode: 0o644 });
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.pathOf(key));
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }
}
