import { StrengthChecker } from './strength-checker';

describe('StrengthChecker', () => {
  it('starts a worker for checks, ends it once they stop, and starts another for the next', async () => {
    const checker = new StrengthChecker(300);
    try {
      expect(checker.running).toBe(false);
      const [weak, strong] = await Promise.all([
        checker.check('password1', []),
        checker.check('lantern harbour quietly folded', []),
      ]);
      expect(weak.score).toBeLessThan(3);
      expect(weak.warning ?? weak.suggestions.join(' ')).toMatch(/\w/);
      expect(strong.score).toBeGreaterThanOrEqual(3);
      expect(checker.running).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(checker.running).toBe(false);
      // The user's own names count against a password that uses them.
      const named = await checker.check('adalovelace1815', ['adalovelace']);
      expect(named.score).toBeLessThan(3);
      expect(checker.running).toBe(true);
    } finally {
      await checker.close();
    }
  });
  it('answers a check made while the idle worker is ending, from the next one', async () => {
    const checker = new StrengthChecker(60_000);
    try {
      await checker.check('warm it up', []);
      const ending = checker.close();
      const answer = checker.check('lantern harbour quietly folded', []);
      await ending;
      await expect(answer).resolves.toMatchObject({ score: expect.any(Number) });
      expect((await answer).score).toBeGreaterThanOrEqual(3);
    } finally {
      await checker.close();
    }
  });
});
