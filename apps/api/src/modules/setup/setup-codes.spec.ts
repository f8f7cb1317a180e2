import { hashSetupCode, matchesSetupCode, newSetupCode, normalizeSetupCode } from './setup-codes';

describe('setup codes', () => {
  it('are 16 characters of Crockford base32 in groups of four, different every time', () => {
    const codes = new Set(Array.from({ length: 200 }, () => newSetupCode()));
    expect(codes.size).toBe(200);
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
  });

  it('are stored as a SHA-256 that is not the code', () => {
    const code = newSetupCode();
    const hash = hashSetupCode(code);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(normalizeSetupCode(code).toLowerCase());
  });

  it('match whatever the case, spaces and dashes, and with O, I and L typed for 0 and 1', () => {
    const hashes = [hashSetupCode('0K1Q-M9XD-4HT0-VB1A')];
    for (const typed of ['0K1Q-M9XD-4HT0-VB1A', '0k1q m9xd 4ht0 vb1a', 'OKIQM9XD4HTOVBLA', ' 0k1q-m9xd-4ht0-vb1a ']) {
      expect(matchesSetupCode(typed, hashes)).toBe(true);
    }
  });

  it('refuse another code, an empty one, and anything when none is pending', () => {
    const hashes = [hashSetupCode(newSetupCode()), hashSetupCode(newSetupCode())];
    expect(matchesSetupCode(newSetupCode(), hashes)).toBe(false);
    expect(matchesSetupCode('', hashes)).toBe(false);
    expect(matchesSetupCode('', [])).toBe(false);
  });

  it('match any of the pending codes (one per process start)', () => {
    const codes = [newSetupCode(), newSetupCode(), newSetupCode()];
    const hashes = codes.map(hashSetupCode);
    for (const code of codes) expect(matchesSetupCode(code, hashes)).toBe(true);
  });
});
