import type { Schema } from '@atrium/api-client';
import type { UserPreferences } from '@atrium/contracts';

import { apiClient, unwrap } from '../../../lib/api';
import { session, type SessionUser } from '../../../lib/session';

export type SignedInSession = Schema<'SessionDto'>;
export type ProfileChanges = Pick<Schema<'UpdateMeDto'>, 'bio'> & {
  firstName?: string;
  lastName?: string;
  /** The whole set: the API replaces the stored preferences with it. */
  preferences?: UserPreferences;
};

export function fetchSessions(signal?: AbortSignal): Promise<SignedInSession[]> {
  return unwrap(apiClient.GET('/api/v1/auth/sessions', { signal }));
}

export async function endSession(id: string): Promise<void> {
  await unwrap(apiClient.DELETE('/api/v1/auth/sessions/{id}', { params: { path: { id } } }));
}

/**
 * Saves names, bio or preferences; an empty string clears a value. The header, the banner and
 * the applied preferences see the change at once.
 */
export async function updateProfile(changes: ProfileChanges): Promise<SessionUser> {
  const user = await unwrap(apiClient.PATCH('/api/v1/me', { body: changes }));
  session.userChanged(user);
  return user;
}

/** The API signs out every other session of the account; this one stays. */
export async function changePassword(currentPassword: string, newPassword: string): Promise<string> {
  return (await unwrap(apiClient.POST('/api/v1/auth/change-password', { body: { currentPassword, newPassword } })))
    .message;
}
