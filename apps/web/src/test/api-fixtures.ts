import type { ApiErrorBody, ApiErrorResponse, InstanceInfo, ReadinessResponse } from '@atrium/api-client';

/** Bodies shaped exactly like the live API's (DESIGN §4), typed from the generated client. */
export const instanceInfo: InstanceInfo = {
  name: 'Atrium',
  version: '0.1.0',
  mode: 'embedded',
  instance: {
    id: '0193c5a2-8f0e-7c31-9a55-3f4b2d1e6a70',
    installedAt: '2025-03-14T09:26:53.000Z',
    bootCount: 7,
  },
};

export const infoEnvelope = (data: InstanceInfo = instanceInfo) => ({
  status: 'success' as const,
  data,
  meta: { requestId: 'req-info-1', timestamp: '2025-06-01T12:00:00.000Z' },
});

export const readyBody: ReadinessResponse = {
  status: 'ready',
  mode: 'embedded',
  timestamp: '2025-06-01T12:00:00.000Z',
  checks: {
    database: { status: 'up', latencyMs: 2.4 },
    redis: { status: 'not_configured' },
    queues: { status: 'up', latencyMs: 0.1, runner: 'in-process' },
    disk: { status: 'up', freeGb: 42.7, path: '/srv/atrium/.data' },
  },
};

export const redisDownBody: ReadinessResponse = {
  status: 'not_ready',
  mode: 'services',
  timestamp: '2025-06-01T12:00:10.000Z',
  checks: {
    database: { status: 'up', latencyMs: 3.1 },
    redis: { status: 'down', error: 'connect ECONNREFUSED 10.0.0.5:6379' },
    queues: { status: 'down', latencyMs: 2000, runner: 'redis', error: 'Job queues unreachable' },
    disk: { status: 'up', freeGb: 120.5, path: '/var/lib/atrium' },
  },
};

export const errorEnvelope = (code: ApiErrorBody['code'], message: string, requestId: string): ApiErrorResponse => ({
  status: 'error',
  error: { code, message },
  meta: { requestId, timestamp: '2025-06-01T12:00:00.000Z' },
});
