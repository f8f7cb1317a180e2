import { DEV_DATA_ENCRYPTION_KEY, DEV_JWT_ACCESS_SECRET } from '../../config/app-config';
import { SecretBox } from './secret-box';

const DATA_KEY = 'data-key-0123456789-abcdefghijklmnopqrstuv';
const JWT_KEY = 'jwt-key-0123456789-abcdefghijklmnopqrstuvw';

/** A box sealed the way releases before decision 28 did: v1, key derived from the JWT secret. */
function legacySeal(plaintext: string): string {
  const v2 = new SecretBox(JWT_KEY, 'totp').seal(plaintext);
  return `v1.${v2.slice(3)}`;
}

describe('SecretBox', () => {
  it('opens what it sealed, and not under another data key', () => {
    const sealed = new SecretBox(DATA_KEY, 'totp').seal('JBSWY3DPEHPK3PXP');
    expect(sealed.startsWith('v2.')).toBe(true);
    expect(new SecretBox(DATA_KEY, 'totp').open(sealed)).toBe('JBSWY3DPEHPK3PXP');
    expect(() => new SecretBox(`${DATA_KEY}x`, 'totp').open(sealed)).toThrow();
    expect(() => new SecretBox(DATA_KEY, 'outbox').open(sealed)).toThrow();
  });

  it('does not depend on the JWT key: a rotated JWT key still opens v2 boxes', () => {
    const sealed = new SecretBox(DATA_KEY, 'totp', JWT_KEY).seal('seed');
    expect(new SecretBox(DATA_KEY, 'totp', 'a-completely-different-jwt-key-000000000').open(sealed)).toBe('seed');
  });

  it('still opens legacy v1 boxes with the JWT key and marks them for re-sealing', () => {
    const legacy = legacySeal('old-seed');
    const box = new SecretBox(DATA_KEY, 'totp', JWT_KEY);
    expect(box.isLegacy(legacy)).toBe(true);
    expect(box.open(legacy)).toBe('old-seed');
    expect(() => new SecretBox(DATA_KEY, 'totp').open(legacy)).toThrow('Unreadable secret');
  });

  describe('after a development installation moves off the published keys', () => {
    it('opens v2 boxes sealed under the published data key and marks them for re-sealing under its own', () => {
      const old = new SecretBox(DEV_DATA_ENCRYPTION_KEY, 'totp').seal('dev-seed');
      const box = new SecretBox(DATA_KEY, 'totp', JWT_KEY);
      expect(box.open(old)).toBe('dev-seed');
      expect(box.isLegacy(old)).toBe(true);
      const resealed = box.seal(box.open(old));
      expect(box.isLegacy(resealed)).toBe(false);
      expect(() => new SecretBox(DEV_DATA_ENCRYPTION_KEY, 'totp').open(resealed)).toThrow('Unreadable secret');
    });

    it('opens v1 boxes sealed under the published JWT key', () => {
      const v2 = new SecretBox(DEV_JWT_ACCESS_SECRET, 'totp').seal('older-seed');
      const legacy = `v1.${v2.slice(3)}`;
      const box = new SecretBox(DATA_KEY, 'totp', JWT_KEY);
      expect(box.isLegacy(legacy)).toBe(true);
      expect(box.open(legacy)).toBe('older-seed');
    });

    it('still refuses a box under any other key', () => {
      const foreign = new SecretBox(`${DATA_KEY}-someone-else`, 'totp').seal('x');
      expect(() => new SecretBox(DATA_KEY, 'totp', JWT_KEY).open(foreign)).toThrow('Unreadable secret');
    });
  });
});
