import type { Schema } from '@atrium/api-client';

import { apiClient, unwrap } from '../../../lib/api';
import { session, type SessionUser } from '../../../lib/session';

/** `required`: no admin exists yet; `codeRequired`: the one-time code from the server log is asked. */
export type SetupStatus = Schema<'SetupStatusDto'>;
export type SetupInput = Schema<'SetupDto'>;

export function fetchSetupStatus(signal?: AbortSignal): Promise<SetupStatus> {
  // Never from the browser's HTTP cache: the answer changes once, at setup.
  return unwrap(apiClient.GET('/api/v1/setup', { signal, cache: 'no-store' }));
}

/**
 * Creates the first admin and signs them in: the API answers like `POST /auth/login` (an access
 * token, the user, and the refresh token as an HttpOnly cookie).
 */
export async function runSetup(input: SetupInput): Promise<SessionUser> {
  const { accessToken, user } = await unwrap(
    apiClient.POST('/api/v1/setup', { body: input, credentials: 'same-origin' }),
  );
  session.signedIn(accessToken, user);
  return user;
}
