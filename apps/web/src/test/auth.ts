import { SESSION_HINT_KEY } from '../lib/session';
import { ada, infoEnvelope, readyBody, tokensEnvelope, type UserFixture } from './api-fixtures';

/**
 * This browser signed in before: at start the app restores the session through the refresh
 * cookie (which a test "has" by answering `/api/v1/auth/refresh`). Call before `renderApp`.
 */
export function rememberSignIn() {
  window.localStorage.setItem(SESSION_HINT_KEY, '1');
}

/** Handlers of a signed-in visit: refresh gives `token` for `user`; the home page's own calls answer too. */
export function signedInApi(user: UserFixture = ada, token = 'access-1') {
  return {
    '/api/v1/auth/refresh': () => ({ status: 200, body: tokensEnvelope(token, user) }),
    ...homePageApi,
  };
}

/** The status page (home) asks these two; tests about other things only need them answered. */
export const homePageApi = {
  '/api/v1/info': () => ({ status: 200, body: infoEnvelope() }),
  '/readiness': () => ({ status: 200, body: readyBody }),
};

/** The JSON body a request carried. */
export async function bodyOf(request: Request | undefined): Promise<unknown> {
  if (!request) throw new Error('No such request was sent');
  return request.clone().json();
}
