import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newAvatarKey } from '../avatar-key';
import { LocalDiskAvatarStorage } from './local-disk-avatar.storage';

describe('LocalDiskAvatarStorage', () => {
  let dir: string;
  let storage: LocalDiskAvatarStorage;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'atrium-avatar-store-'));
    storage = new LocalDiskAvatarStorage(join(dir, 'avatars'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stores, reads back and deletes by key, fanned out by the first two digits', async () => {
    const key = newAvatarKey();
    await storage.put(key, Buffer.from('webp bytes'));
    expect(storage.pathOf(key)).toBe(join(dir, 'avatars', key.slice(0, 2), `${key}.webp`));
    expect(await storage.get(key)).toEqual(Buffer.from('webp bytes'));
    // No temporary file is left beside it.
    expect(await readdir(join(dir, 'avatars', key.slice(0, 2)))).toEqual([`${key}.webp`]);

    await storage.delete(key);
    expect(existsSync(storage.pathOf(key))).toBe(false);
    expect(await storage.get(key)).toBeNull();
    await expect(storage.delete(key)).resolves.toBeUndefined();
  });

  it('refuses anything but a server-made key, so no caller can reach outside the folder', async () => {
    await writeFile(join(dir, 'secret.webp'), 'secret');
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
      expect(() => storage.pathOf(key)).toThrow('Not an avatar key');
      await expect(storage.get(key)).rejects.toThrow('Not an avatar key');
      await expect(storage.put(key, Buffer.from('x'))).rejects.toThrow('Not an avatar key');
      await expect(storage.delete(key)).rejects.toThrow('Not an avatar key');
    }
    expect(existsSync(join(dir, 'secret.webp'))).toBe(true);
  });
});
