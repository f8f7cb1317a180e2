import { queryOptions, useQuery } from '@tanstack/react-query';

import { fetchInstanceInfo, fetchReadiness } from './status.api';

/** Readiness is re-checked on this period while the page is open. */
export const READINESS_REFRESH_MS = 10_000;

export const statusKeys = {
  all: ['status'] as const,
  info: () => [...statusKeys.all, 'info'] as const,
  readiness: () => [...statusKeys.all, 'readiness'] as const,
};

export const instanceInfoQueryOptions = () =>
  queryOptions({
    queryKey: statusKeys.info(),
    queryFn: ({ signal }) => fetchInstanceInfo(signal),
    // Name, version and identity change only on a redeploy.
    staleTime: 5 * 60_000,
  });

export const readinessQueryOptions = () =>
  queryOptions({
    queryKey: statusKeys.readiness(),
    queryFn: ({ signal }) => fetchReadiness(signal),
    refetchInterval: READINESS_REFRESH_MS,
    staleTime: 0,
  });

export const useInstanceInfo = () => useQuery(instanceInfoQueryOptions());
export const useReadiness = () => useQuery(readinessQueryOptions());
