import { afterEach, describe, expect, it } from 'vitest';

import { ada, envelope, errorEnvelope, instanceInfo, meOf, tokensEnvelope } from '../test/api-fixtures';
import { api, callsTo, json, networkError, requestsTo, useApi } from '../test/msw';
import { ApiError, apiClient, NETWORK_ERROR, unwrap } from './api';
import { session } from './session';

const expired = () => json(errorEnvelope('TOKEN_EXPIRED', 'The access token has expired; refresh it', 'req-exp'), 401);

describe('API client authentication', () => {
  afterEach(() => session.signedOut());

  it('shares one refresh between requests whose token expired at the same time, then retries each once', async () => {
    session.signedIn('stale', ada);
    let release: () => void = () => {};
    const refreshAnswered = new Promise<void>((resolve) => (release = resolve));
    useApi(
      // The refresh answers only once both requests have been refused.
      api.post('/api/v1/auth/refresh', async () => {
        await refreshAnswered;
        return json(tokensEnvelope('fresh'));
      }),
      api.get('/api/v1/auth/sessions', ({ request }) =>
        request.headers.get('authorization') === 'Bearer fresh' ? json(envelope([])) : expired(),
      ),
      api.get('/api/v1/auth/me', ({ request }) =>
        request.headers.get('authorization') === 'Bearer fresh' ? json(envelope(meOf(ada, []))) : expired(),
      ),
    );

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
    useApi(
      api.post('/api/v1/auth/refresh', () => json(tokensEnvelope('fresh'))),
      api.get('/api/v1/auth/sessions', expired),
    );

    const { error, response } = await apiClient.GET('/api/v1/auth/sessions');

    expect(response.status).toBe(401);
    expect(error?.error.code).toBe('TOKEN_EXPIRED');
    expect(callsTo('/api/v1/auth/refresh')).toBe(1);
    expect(callsTo('/api/v1/auth/sessions')).toBe(2);
  });

  it('signs out when the API refuses the token for good (session ended elsewhere)', async () => {
    session.signedIn('revoked', ada);
    useApi(
      api.get('/api/v1/auth/sessions', () =>
        json(errorEnvelope('UNAUTHENTICATED', 'Authentication required', 'req-401'), 401),
      ),
    );

    await apiClient.GET('/api/v1/auth/sessions');

    expect(session.get().status).toBe('signed-out');
    expect(callsTo('/api/v1/auth/refresh')).toBe(0);
  });
});

describe('unwrap', () => {
  it('opens the success envelope and resolves to its data', async () => {
    useApi(api.get('/api/v1/info', () => json(envelope(instanceInfo))));

    await expect(unwrap(apiClient.GET('/api/v1/info'))).resolves.toEqual(instanceInfo);
  });

  it('throws the error envelope as an ApiError with its code, status and request id', async () => {
    useApi(api.get('/api/v1/info', () => json(errorEnvelope('RATE_LIMITED', 'Slow down', 'req-429'), 429)));

    const failure = unwrap(apiClient.GET('/api/v1/info'));

    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({ code: 'RATE_LIMITED', httpStatus: 429, requestId: 'req-429' });
  });

  it('turns a failed connection into a NETWORK_ERROR', async () => {
    useApi(api.get('/api/v1/info', networkError));

    await expect(unwrap(apiClient.GET('/api/v1/info'))).rejects.toMatchObject({ code: NETWORK_ERROR });
  });
});
