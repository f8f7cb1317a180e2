import type { ApiErrorBody, ApiErrorResponse, InstanceInfo, ReadinessResponse, Schema } from '@atrium/api-client';

/** Bodies shaped exactly like the live API's (docs/API.md, "API conventions"), typed from the generated client. */
export const instanceInfo: InstanceInfo = {
  name: 'Atrium',
  version: '0.1.0',
  mode: 'embedded',
  siteName: null,
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

/** What a replica answers (200) while Redis is down: still serving, degraded. */
export const redisDownBody: ReadinessResponse = {
  status: 'degraded',
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

export type UserFixture = Schema<'UserDto'>;
export type SessionFixture = Schema<'SessionDto'>;

export const ada: UserFixture = {
  id: '0193c5a2-9000-7c31-9a55-3f4b2d1e6a71',
  email: 'ada@example.com',
  username: 'ada',
  firstName: 'Ada',
  lastName: 'Lovelace',
  bio: null,
  preferences: {},
  emailVerified: true,
  twoFactorEnabled: false,
  avatarUrl: null,
  createdAt: '2025-05-01T08:00:00.000Z',
};

const meta = (requestId: string) => ({ requestId, timestamp: '2025-06-01T12:00:00.000Z' });

/** The success envelope around `data`. */
export const envelope = <T>(data: T, requestId = 'req-ok-1') => ({
  status: 'success' as const,
  data,
  meta: meta(requestId),
});

export const message = (text: string) => envelope({ message: text });

/** What login and refresh answer: an access token and its user (the refresh token is a cookie). */
export const tokensEnvelope = (accessToken: string, user: UserFixture = ada) =>
  envelope({ accessToken, tokenType: 'Bearer' as const, expiresIn: 900, user });

/** An error envelope with per-field `details`, as the validation pipe and the password check send it. */
export const detailedErrorEnvelope = (
  code: ApiErrorBody['code'],
  text: string,
  details: { field: string; message: string; code: string }[],
  requestId = 'req-err-1',
): ApiErrorResponse => ({
  status: 'error',
  error: { code, message: text, details },
  meta: meta(requestId),
});

export const currentSession: SessionFixture = {
  id: '0193c5a2-aaaa-7000-8000-000000000001',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36',
  ip: '203.0.113.7',
  createdAt: '2025-05-30T09:00:00.000Z',
  lastUsedAt: '2025-06-01T11:55:00.000Z',
  expiresAt: '2025-06-30T09:00:00.000Z',
  current: true,
};

export const otherSession: SessionFixture = {
  id: '0193c5a2-bbbb-7000-8000-000000000002',
  userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:139.0) Gecko/20100101 Firefox/139.0',
  ip: '198.51.100.23',
  createdAt: '2025-05-20T18:30:00.000Z',
  lastUsedAt: '2025-05-31T21:10:00.000Z',
  expiresAt: '2025-06-19T18:30:00.000Z',
  current: false,
};

export type MeFixture = Schema<'MeDto'>;
export type ApiTokenFixture = Schema<'ApiTokenDto'>;

/** What GET /auth/me answers: the user with roles and unconditional permissions. */
export const meOf = (
  user: UserFixture = ada,
  permissions: string[] = ['profile:read', 'profile:update', 'posts:read', 'posts:create'],
): MeFixture => ({ ...user, roles: ['member'], permissions });

export const ciToken: ApiTokenFixture = {
  id: '0193c5a2-cccc-7000-8000-000000000003',
  name: 'CI deploy',
  prefix: 'k3Jd9a',
  scopes: ['posts:read', 'posts:create'],
  createdAt: '2025-05-10T10:00:00.000Z',
  expiresAt: null,
  lastUsedAt: '2025-05-31T07:45:00.000Z',
};
