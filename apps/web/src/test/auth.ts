import { SESSION_HINT_KEY } from '../lib/session';
import { ada, infoEnvelope, readyBody, tokensEnvelope, type UserFixture } from './api-fixtures';
import { api, json } from './msw';

/**
 * This browser signed in before: at start the app restores the session through the refresh
 * cookie (which a test "has" by answering `/api/v1/auth/refresh`). Call before rendering.
 */
export function rememberSignIn() {
  window.localStorage.setItem(SESSION_HINT_KEY, '1');
}

/** The refresh of a signed-in visit: it gives `token` for `user`. */
export const signedInApi = (user: UserFixture = ada, token = 'access-1') => [
  api.post('/api/v1/auth/refresh', () => json(tokensEnvelope(token, user))),
];

/** The status page (home) asks these two. */
export const homePageApi = [
  api.get('/api/v1/info', () => json(infoEnvelope())),
  api.get('/readiness', () => json(readyBody)),
];

/** The JSON body a request carried. */
export async function bodyOf(request: Request | undefined): Promise<unknown> {
  if (!request) throw new Error('No such request was sent');
  return request.clone().json();
}
