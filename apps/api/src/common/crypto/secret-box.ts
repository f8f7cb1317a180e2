import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const deriveKey = (secret: string, purpose: string): Buffer =>
  Buffer.from(hkdfSync('sha256', secret, 'atrium', `atrium:${purpose}`, 32));

/**
 * AES-256-GCM for small secrets at rest (TOTP seeds, pending domain events), with a key derived by
 * HKDF from DATA_ENCRYPTION_KEY and the purpose. Format: `v2.<iv>.<tag>.<ciphertext>` (base64url).
 *
 * `v1` boxes were sealed under a key derived from JWT_ACCESS_SECRET (before decision 41); they are
 * still opened with `legacySecret` and re-sealed as `v2` when read, so rotating the JWT key no
 * longer breaks two-factor sign-in once every box is `v2`.
 */
export class SecretBox {
  private readonly key: Buffer;
  private readonly legacyKey: Buffer | undefined;

  constructor(dataKey: string, purpose: string, legacySecret?: string) {
    this.key = deriveKey(dataKey, purpose);
    this.legacyKey = legacySecret === undefined ? undefined : deriveKey(legacySecret, purpose);
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v2', iv, cipher.getAuthTag(), data]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  open(sealed: string): string {
    const [version, iv, tag, data] = sealed.split('.');
    const key = version === 'v2' ? this.key : version === 'v1' ? this.legacyKey : undefined;
    if (!key || !iv || !tag || data === undefined) throw new Error('Unreadable secret');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Whether `sealed` is under the legacy key and should be sealed again. */
  isLegacy(sealed: string): boolean {
    return sealed.startsWith('v1.');
  }
}
