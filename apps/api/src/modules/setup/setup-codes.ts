import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * One-time setup codes (first-run setup in production): 16 characters of Crockford's base32 —
 * no I, L, O or U, so nothing reads as another character — about 80 random bits, printed in
 * groups of four. Only their SHA-256 is stored: the code is as random as a token, so no slow
 * hash is needed to keep it from being guessed back.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 16;

/** A new code, e.g. `7KQ2-M9XD-4HT0-VBNA`. */
export function newSetupCode(): string {
  let code = '';
  for (let i = 0; i < LENGTH; i += 1) code += ALPHABET[randomInt(ALPHABET.length)];
  return code.replace(/(.{4})(?!$)/g, '$1-');
}

/**
 * What was typed, as the code it means: case, spaces and dashes do not matter, and the letters
 * Crockford's base32 leaves out read as the digits they look like (O → 0, I and L → 1).
 */
export function normalizeSetupCode(typed: string): string {
  return typed
    .toUpperCase()
    .replace(/[\s-]+/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

/** The stored form of a code: SHA-256 (hex) of its normalized text. */
export function hashSetupCode(code: string): string {
  return createHash('sha256').update(normalizeSetupCode(code)).digest('hex');
}

/**
 * Whether `typed` is one of the codes whose hashes are `hashes`, compared in constant time: every
 * stored hash is compared in full, whatever matched before.
 */
export function matchesSetupCode(typed: string, hashes: readonly string[]): boolean {
  const candidate = Buffer.from(hashSetupCode(typed), 'hex');
  let matched = false;
  for (const hash of hashes) {
    const stored = Buffer.from(hash, 'hex');
    if (stored.length === candidate.length && timingSafeEqual(stored, candidate)) matched = true;
  }
  return matched;
}
