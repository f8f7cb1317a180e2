import { queryOptions, useQuery } from '@tanstack/react-query';

import { fetchProfile } from './profiles.api';

export const profileKeys = {
  all: ['profiles'] as const,
  one: (username: string) => [...profileKeys.all, username.toLowerCase()] as const,
};

export const profileQueryOptions = (username: string) =>
  queryOptions({
    queryKey: profileKeys.one(username),
    queryFn: ({ signal }) => fetchProfile(username, signal),
    staleTime: 30_000,
  });

export const useProfile = (username: string) => useQuery(profileQueryOptions(username));
