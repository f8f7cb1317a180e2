import { withTimeout } from './timeout';

describe('withTimeout', () => {
  it('fails work that never answers once the time is up, with the message', async () => {
    // The work never settles: only the deadline can end the call.
    const never = new Promise<string>(() => undefined);
    await expect(withTimeout(never, 50, 'Job queue did not answer')).rejects.toThrow('Job queue did not answer');
  });

  it("passes on work's answer and its failure as they are", async () => {
    await expect(withTimeout(Promise.resolve('PONG'), 1_000, 'late')).resolves.toBe('PONG');
    const failure = new Error('refused');
    await expect(withTimeout(Promise.reject(failure), 1_000, 'late')).rejects.toBe(failure);
  });
});
