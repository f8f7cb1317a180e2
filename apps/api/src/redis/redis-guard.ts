import type Redis from 'ioredis';
import { deadline } from '../common/timeout';

/** After a failed command, how long callers skip Redis and take their fallback at once. */
export const REDIS_BREAK_MS = 2_000;

/** How long `withRedis` waits for an answer on a client created without a deadline of its own. */
export const REDIS_DEFAULT_DEADLINE_MS = 500;

const openUntil = new WeakMap<object, number>();
const deadlines = new WeakMap<object, number>();

/**
 * How long `withRedis` waits for `client`'s answer (REDIS_COMMAND_TIMEOUT_MS for the shared client).
 * The clients have no ioredis `commandTimeout`: its timer fails a command whose answer is already
 * in the socket when the process was busy past it (docs/DECISIONS.md 114), so the deadline is
 * `withRedis`'s, which reads the socket first.
 */
export function setRedisDeadline(client: Redis, ms: number): void {
  deadlines.set(client, ms);
}

/**
 * Runs `work` against Redis, or the caller's outage policy (`fallback`) when Redis fails. A
 * failure (error, or no answer within the client's deadline) opens a breaker for REDIS_BREAK_MS:
 * meanwhile callers take their fallback without trying, so a frozen Redis costs one deadline per
 * two seconds per process, never one per request. Then one call tries again.
 *
 * `work` is one round trip (a command, a script or a pipeline): the deadline bounds it whole. One
 * promise a call (the cache and the rate limiter run this on every request).
 */
export function withRedis<T>(
  client: Redis,
  work: (client: Redis) => Promise<T>,
  fallback: (error: unknown) => T | Promise<T>,
): Promise<T> {
  // A fallback that throws rejects the call (`rethrow`: the cache's and the view buffer's).
  const fallBack = (error: unknown): Promise<T> => Promise.resolve(error).then(fallback);
  if (redisBroken(client)) return fallBack(new Error('Redis unavailable (breaker open)'));
  const ms = deadlines.get(client) ?? REDIS_DEFAULT_DEADLINE_MS;
  return new Promise<T>((resolve) => {
    let settled = false;
    const fail = (error: unknown): void => {
      cancel();
      if (settled) return;
      settled = true;
      openUntil.set(client, Date.now() + REDIS_BREAK_MS);
      resolve(fallBack(error));
    };
    const cancel = deadline(ms, () => fail(new Error(`Redis did not answer within ${ms} ms`)));
    let started: Promise<T>;
    try {
      started = work(client);
    } catch (error) {
      return fail(error);
    }
    started.then((result) => {
      cancel();
      if (settled) return;
      settled = true;
      openUntil.delete(client);
      resolve(result);
    }, fail);
  });
}

/** A `withRedis` fallback for callers whose own caller has the outage policy: the failure goes on. */
export const rethrow = (error: unknown): never => {
  throw error;
};

/** Whether the breaker of this client is open (Redis failed within the last REDIS_BREAK_MS). */
export const redisBroken = (client: Redis): boolean => (openUntil.get(client) ?? 0) > Date.now();
