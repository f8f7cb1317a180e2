import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { DEV_DATA_ENCRYPTION_KEY, DEV_JWT_ACCESS_SECRET } from '../../config/app-config';

const deriveKey = (secret: string, purpose: string): Buffer =>
  Buffer.from(hkdfSync('sha256', secret, 'atrium', `atrium:${purpose}`, 32));

/**
 * AES-256-GCM for small secrets at rest (TOTP seeds, pending domain events), with a key derived by
 * HKDF from DATA_ENCRYPTION_KEY and the purpose. Format: `v2.<iv>.<tag>.<ciphertext>` (base64url).
 *
 * `v1` boxes were sealed under a key derived from JWT_ACCESS_SECRET (before decision 41); they are
 * still opened with `legacySecret` and re-sealed as `v2` when read, so rotating the JWT key no
 * longer breaks two-factor sign-in once every box is `v2`.
 *
 * Development installations used to fall back to keys published in the source
 * (`DEV_DATA_ENCRYPTION_KEY`, `DEV_JWT_ACCESS_SECRET`); they now generate their own. Boxes sealed
 * under a published key still open (they never hid anything from someone holding the database)
 * and count as legacy, so they are sealed again under the installation's key when read. Nothing
 * is ever sealed under a published key unless it is the configured one (`NODE_ENV=test`).
 */
export class SecretBox {
  private readonly key: Buffer;
  private readonly legacyKey: Buffer | undefined;
  /** Keys that open `v2` and `v1` boxes besides the current ones: the published development keys. */
  private readonly retiredV2: Buffer[];
  private readonly retiredV1: Buffer[];

  constructor(dataKey: string, purpose: string, legacySecret?: string) {
    this.key = deriveKey(dataKey, purpose);
    this.legacyKey = legacySecret === undefined ? undefined : deriveKey(legacySecret, purpose);
    this.retiredV2 = dataKey === DEV_DATA_ENCRYPTION_KEY ? [] : [deriveKey(DEV_DATA_ENCRYPTION_KEY, purpose)];
    this.retiredV1 =
      legacySecret === undefined || legacySecret === DEV_JWT_ACCESS_SECRET
        ? []
        : [deriveKey(DEV_JWT_ACCESS_SECRET, purpose)];
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
    for (const key of this.keysFor(sealed)) {
      const plaintext = decrypt(sealed, key);
      if (plaintext !== undefined) return plaintext;
    }
    throw new Error('Unreadable secret');
  }

  /** Whether `sealed` is under a legacy or published key and should be sealed again. */
  isLegacy(sealed: string): boolean {
    if (sealed.startsWith('v1.')) return true;
    return sealed.startsWith('v2.') && decrypt(sealed, this.key) === undefined;
  }

  private keysFor(sealed: string): Buffer[] {
    if (sealed.startsWith('v2.')) return [this.key, ...this.retiredV2];
    if (sealed.startsWith('v1.') && this.legacyKey) return [this.legacyKey, ...this.retiredV1];
    return [];
  }
}

/** The plaintext, or undefined when `key` did not seal this box (or it is malformed). */
function decrypt(sealed: string, key: Buffer): string | undefined {
  const [, iv, tag, data] = sealed.split('.');
  if (!iv || !tag || data === undefined) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
