import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { session } from '../../../lib/session';
import { accountKeys } from '../../auth';
import {
  createToken,
  type DataExport,
  fetchExport,
  fetchExports,
  fetchTokens,
  revokeToken,
  startExport,
} from './account.api';
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

const exportKeys = {
  all: [...accountKeys.all, 'exports'] as const,
  list: () => [...exportKeys.all, 'list'] as const,
  one: (id: string) => [...exportKeys.all, 'one', id] as const,
};

/** Asked again every second while it is being built. */
export const EXPORT_POLL_MS = 1000;
const building = (data: DataExport | undefined) => data?.status === 'queued' || data?.status === 'running';

/** The recent exports: the newest one shows when the page opens without `?export=`. */
export const useExports = (enabled: boolean) =>
  useQuery({ queryKey: exportKeys.list(), queryFn: ({ signal }) => fetchExports(signal), enabled });

/** One export, polled while it is queued or running. */
export function useExport(id: string | undefined) {
  return useQuery({
    queryKey: exportKeys.one(id ?? ''),
    queryFn: ({ signal }) => fetchExport(id ?? '', signal),
    enabled: Boolean(id),
    refetchInterval: (query) => (building(query.state.data) ? EXPORT_POLL_MS : false),
  });
}

export function useStartExport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: startExport,
    onSuccess: (started) => {
      queryClient.setQueryData(exportKeys.one(started.id), started);
      void queryClient.invalidateQueries({ queryKey: exportKeys.list() });
    },
  });
}
