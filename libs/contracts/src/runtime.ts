/** How the API process found its backing services at start-up (README, "Quickstart"). */
export const RuntimeMode = {
  /** No DATABASE_URL / REDIS_URL: PGlite in-process, cache and throttling in memory. */
  EMBEDDED: 'embedded',
  /** Postgres and Redis reached over the network. */
  SERVICES: 'services',
} as const;
export type RuntimeMode = (typeof RuntimeMode)[keyof typeof RuntimeMode];

export const DependencyStatus = {
  UP: 'up',
  DOWN: 'down',
  /** The dependency is not configured in this mode (Redis in embedded mode). */
  NOT_CONFIGURED: 'not_configured',
} as const;
export type DependencyStatus = (typeof DependencyStatus)[keyof typeof DependencyStatus];

export const ReadinessStatus = {
  READY: 'ready',
  /** Serving, with a non-essential dependency (Redis, the job queues) down: stays in rotation. */
  DEGRADED: 'degraded',
  NOT_READY: 'not_ready',
} as const;
export type ReadinessStatus = (typeof ReadinessStatus)[keyof typeof ReadinessStatus];

/** Header carrying the request id in both directions. */
export const REQUEST_ID_HEADER = 'x-request-id';
