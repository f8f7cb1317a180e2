import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { session } from '../../../lib/session';
import { accountKeys } from '../../auth';
import { createToken, fetchTokens, revokeToken } from './account.api';
import { removeAvatar, uploadAvatar } from './avatar.api';
import { changePassword, endSession, fetchSessions } from './settings.api';

export const sessionsQueryOptions = () =>
  queryOptions({
    queryKey: accountKeys.sessions(),
    queryFn: ({ signal }) => fetchSessions(signal),
  });

export const useSessions = () => useQuery(sessionsQueryOptions());

export function useEndSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: endSession,
    onSettled: () => queryClient.invalidateQueries({ queryKey: accountKeys.sessions() }),
  });
}

export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ currentPassword, newPassword }: { currentPassword: string; newPassword: string }) =>
      changePassword(currentPassword, newPassword),
    // The other sessions are gone now.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: accountKeys.sessions() }),
  });
}

export const tokensQueryOptions = () =>
  queryOptions({
    queryKey: accountKeys.tokens(),
    queryFn: ({ signal }) => fetchTokens(signal),
  });

export const useTokens = () => useQuery(tokensQueryOptions());

export function useCreateToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createToken,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: accountKeys.tokens() }),
  });
}

export function useRevokeToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: revokeToken,
    onSettled: () => queryClient.invalidateQueries({ queryKey: accountKeys.tokens() }),
  });
}

/** Two-factor authentication turned on or off: the cached profile and the session's user follow. */
export function useTwoFactorChanged() {
  const queryClient = useQueryClient();
  return (twoFactorEnabled: boolean) => {
    queryClient.setQueryData(accountKeys.me(), (me) => (me ? { ...me, twoFactorEnabled } : me));
    const { user } = session.get();
    if (user) session.userChanged({ ...user, twoFactorEnabled });
  };
}

/** The cached `/auth/me` follows a new or removed avatar (the session's user is updated by the call). */
function useAvatarChanged() {
  const queryClient = useQueryClient();
  return (avatarUrl: string | null) =>
    queryClient.setQueryData(accountKeys.me(), (me) => (me ? { ...me, avatarUrl } : me));
}

export function useUploadAvatar() {
  const avatarChanged = useAvatarChanged();
  return useMutation({ mutationFn: uploadAvatar, onSuccess: avatarChanged });
}

export function useRemoveAvatar() {
  const avatarChanged = useAvatarChanged();
  return useMutation({ mutationFn: removeAvatar, onSuccess: () => avatarChanged(null) });
}
