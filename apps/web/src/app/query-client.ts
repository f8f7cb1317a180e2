import { QueryClient } from '@tanstack/react-query';

import { ApiError, NETWORK_ERROR } from '../lib/api';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // One quiet retry for a dropped connection; an answer from the API (4xx/5xx) is final.
        retry: (failureCount, error) => failureCount < 1 && error instanceof ApiError && error.code === NETWORK_ERROR,
        refetchOnWindowFocus: true,
      },
    },
  });
}
