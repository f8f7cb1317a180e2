/**
 * How long every Redis client of Atrium (shared, cache, Bull's queues) waits before its next
 * reconnect attempt: 200 ms more per attempt, never more than 2 s, so a client is back within 2 s
 * of Redis, however long the outage lasted. (Bull's own default grows exponentially up to 20 s:
 * after a 15 s outage the queues stayed unreachable for another ~18 s.)
 */
export const REDIS_RECONNECT_MAX_DELAY_MS = 2_000;
export const redisReconnectDelay = (attempt: number): number => Math.min(attempt * 200, REDIS_RECONNECT_MAX_DELAY_MS);
