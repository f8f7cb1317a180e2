import type Redis from 'ioredis';

/** After a failed command, how long callers skip Redis and take their fallback at once. */
export const REDIS_BREAK_MS = 2_000;

const openUntil = new WeakMap<object, number>();

/**
 * Runs `work` against Redis, or the caller's outage policy (`fallback`) when Redis fails. A
 * failure (error, or no answer within the client's command timeout) opens a breaker for
 * REDIS_BREAK_MS: meanwhile callers take their fallback without trying, so a frozen Redis costs one
 * command timeout per two seconds per process, never one per request. Then one call tries again.
 */
export async function withRedis<T>(
  client: Redis,
  work: (client: Redis) => Promise<T>,
  fallback: (error: unknown) => T | Promise<T>,
): Promise<T> {
  if ((openUntil.get(client) ?? 0) > Date.now()) return fallback(new Error('Redis unavailable (breaker open)'));
  try {
    const result = await work(client);
    openUntil.delete(client);
    return result;
  } catch (error) {
    openUntil.set(client, Date.now() + REDIS_BREAK_MS);
    return fallback(error);
  }
}

/** Whether the breaker of this client is open (Redis failed within the last REDIS_BREAK_MS). */
export const redisBroken = (client: Redis): boolean => (openUntil.get(client) ?? 0) > Date.now();
