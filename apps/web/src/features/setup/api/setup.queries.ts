import { queryOptions, useQuery } from '@tanstack/react-query';

import { fetchSetupStatus } from './setup.api';

export const setupKeys = {
  status: ['setup', 'status'] as const,
};

export const setupStatusQueryOptions = () =>
  queryOptions({
    queryKey: setupKeys.status,
    queryFn: ({ signal }) => fetchSetupStatus(signal),
    // Changes once in the life of a site; a page opened later asks again.
    staleTime: 60_000,
  });

/** Whether this site still needs its first admin (first-run setup). */
export const useSetupStatus = () => useQuery(setupStatusQueryOptions());
