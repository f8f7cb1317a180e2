export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` (errors count as "not yet") until it returns true; throws after `timeoutMs`, naming `what`. */
export async function until(
  what: string,
  probe: () => Promise<boolean> | boolean,
  timeoutMs: number,
  intervalMs = 100,
): Promise<number> {
  const start = Date.now();
  let lastError: unknown;
  for (;;) {
    try {
      if (await probe()) return Date.now() - start;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() - start > timeoutMs) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}${cause}`);
    }
    await sleep(intervalMs);
  }
}

/**
 * Polls `probe` until `done` accepts its value and returns it; past the deadline returns the last
 * value, so the caller's assertion reports what was seen (never throws for time).
 */
export async function pollFor<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(intervalMs);
  }
}
