import { afterEach, describe, expect, it } from 'vitest';

import { ada, envelope, errorEnvelope, tokensEnvelope } from '../test/api-fixtures';
import { mockApi } from '../test/fetch-mock';
import { apiClient } from './api';
import { session } from './session';

const expired = () => ({
  status: 401,
  body: errorEnvelope('TOKEN_EXPIRED', 'The access token has expired; refresh it', 'req-exp'),
});

describe('API client authentication', () => {
  afterEach(() => session.signedOut());

  it('shares one refresh between requests whose token expired at the same time, then retries each once', async () => {
    session.signedIn('stale', ada);
    let release: () => void = () => {};
    const refreshAnswered = new Promise<void>((resolve) => (release = resolve));
    const { fetchMock, callsTo, requestsTo } = mockApi({
      '/api/v1/auth/refresh': () => ({ status: 200, body: tokensEnvelope('fresh') }),
      '/api/v1/auth/sessions': (request) =>
        request.headers.get('authorization') === 'Bearer fresh' ? { status: 200, body: envelope([]) } : expired(),
      '/api/v1/auth/me': (request) =>
        request.headers.get('authorization') === 'Bearer fresh'
          ? { status: 200, body: envelope({ ...ada, roles: ['user'], permissions: [] }) }
          : expired(),
    });
    // The refresh answers only once both requests have been refused.
    const answer = fetchMock.getMockImplementation()!;
    fetchMock.mockImplementation(async (input) => {
      if (input instanceof Request && input.url.endsWith('/api/v1/auth/refresh')) await refreshAnswered;
      return answer(input);
    });

    const both = Promise.all([apiClient.GET('/api/v1/auth/sessions'), apiClient.GET('/api/v1/auth/me')]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    const [sessions, me] = await both;

    expect(sessions.response.status).toBe(200);
    expect(me.response.status).toBe(200);
    expect(callsTo('/api/v1/auth/refresh')).toBe(1);
    expect(callsTo('/api/v1/auth/sessions')).toBe(2);
    expect(callsTo('/api/v1/auth/me')).toBe(2);
    expect(session.get().accessToken).toBe('fresh');
    // The refresh itself never carries the (expired) bearer token.
    expect(requestsTo('/api/v1/auth/refresh')[0]?.headers.get('authorization')).toBeNull();
  });

  it('retries only once: a second TOKEN_EXPIRED is handed to the caller', async () => {
    session.signedIn('stale', ada);
    const { callsTo } = mockApi({
      '/api/v1/auth/refresh': () => ({ status: 200, body: tokensEnvelope('fresh') }),
      '/api/v1/auth/sessions': expired,
    });

    const { error, response } = await apiClient.GET('/api/v1/auth/sessions');

    expect(response.status).toBe(401);
    expect(error?.error.code).toBe('TOKEN_EXPIRED');
    expect(callsTo('/api/v1/auth/refresh')).toBe(1);
    expect(callsTo('/api/v1/auth/sessions')).toBe(2);
  });

  it('signs out when the API refuses the token for good (session ended elsewhere)', async () => {
    session.signedIn('revoked', ada);
    const { callsTo } = mockApi({
      '/api/v1/auth/sessions': () => ({
        status: 401,
        body: errorEnvelope('UNAUTHENTICATED', 'Authentication required', 'req-401'),
      }),
    });

    await apiClient.GET('/api/v1/auth/sessions');

    expect(session.get().status).toBe('signed-out');
    expect(callsTo('/api/v1/auth/refresh')).toBe(0);
  });
});
