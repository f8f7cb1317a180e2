import { availableParallelism } from 'node:os';
import { PasswordsService } from './passwords.service';

/** The Argon2 calls running at once, and the most seen (each holds 19 MiB while it runs). */
const mockArgon2 = { running: 0, peak: 0 };

jest.mock('@node-rs/argon2', () => {
  const actual = jest.requireActual<typeof import('@node-rs/argon2')>('@node-rs/argon2');
  const counted =
    <A extends unknown[], R>(original: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      mockArgon2.running += 1;
      mockArgon2.peak = Math.max(mockArgon2.peak, mockArgon2.running);
      try {
        return await original(...args);
      } finally {
        mockArgon2.running -= 1;
      }
    };
  return { ...actual, hash: counted(actual.hash), verify: counted(actual.verify) };
});

describe('PasswordsService', () => {
  it('runs no more Argon2 hashes at once than there are CPUs, and every answer stays right', async () => {
    const passwords = new PasswordsService();
    const stored = await passwords.hash('lantern harbour quietly folded');
    const burst = availableParallelism() + 4;
    const answers = await Promise.all([
      ...Array.from({ length: burst }, (_, i) =>
        passwords.verify(stored, i % 2 === 0 ? 'lantern harbour quietly folded' : 'wrong'),
      ),
      passwords.verify(null, 'lantern harbour quietly folded'),
      passwords.hash('another passphrase entirely'),
    ]);
    expect(answers.slice(0, burst)).toEqual(Array.from({ length: burst }, (_, i) => i % 2 === 0));
    // An unknown account is never verified, though it costs a verification (the dummy hash).
    expect(answers[burst]).toBe(false);
    expect(String(answers[burst + 1])).toMatch(/^\$argon2id\$/);
    expect(mockArgon2.peak).toBeGreaterThan(0);
    expect(mockArgon2.peak).toBeLessThanOrEqual(availableParallelism());
  });
});
