import type { Schema } from '@atrium/api-client';

import { apiClient, callApi, toApiError } from '../../../lib/api';
import { session, type SessionUser } from '../../../lib/session';

export type SignedInSession = Schema<'SessionDto'>;
export type ProfileChanges = Pick<Schema<'UpdateMeDto'>, 'bio'> & { firstName?: string; lastName?: string };

export async function fetchSessions(signal?: AbortSignal): Promise<SignedInSession[]> {
  return callApi(async () => {
    const { data, error, response } = await apiClient.GET('/api/v1/auth/sessions', { signal });
    if (data) return data.data;
    throw toApiError(error, response);
  });
}

export async function endSession(id: string): Promise<void> {
  await callApi(async () => {
    const { data, error, response } = await apiClient.DELETE('/api/v1/auth/sessions/{id}', {
      params: { path: { id } },
    });
    if (!data) throw toApiError(error, response);
  });
}

/** Saves names and bio; an empty string clears a value. The header and banner see the change at once. */
export async function updateProfile(changes: ProfileChanges): Promise<SessionUser> {
  const user = await callApi(async () => {
    const { data, error, response } = await apiClient.PATCH('/api/v1/me', { body: changes });
    if (data) return data.data;
    throw toApiError(error, response);
  });
  session.userChanged(user);
  return user;
}

/** The API signs out every other session of the account; this one stays. */
export async function changePassword(currentPassword: string, newPassword: string): Promise<string> {
  return callApi(async () => {
    const { data, error, response } = await apiClient.POST('/api/v1/auth/change-password', {
      body: { currentPassword, newPassword },
    });
    if (data) return data.data.message;
    throw toApiError(error, response);
  });
}
