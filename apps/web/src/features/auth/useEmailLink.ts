import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';

import { ApiError, NETWORK_ERROR } from '../../lib/api';
import { reloadUser } from './api/auth.api';
import { emailLinkToken } from './emailLinkToken';

/**
 * A mailed single-use link (`?token=…`): its token (undefined when malformed) and the one POST
 * that spends it. The answer is kept for the page's life — a second request (StrictMode, a
 * refocused window) would report a spent link as a failure — and only a network error is retried.
 * A signed-in user's data is reloaded after, so the change shows at once.
 */
export function useEmailLink<T>(key: string, spend: (token: string) => Promise<T>) {
  const [searchParams] = useSearchParams();
  const token = emailLinkToken(searchParams);
  const query = useQuery({
    queryKey: [key, token],
    queryFn: async () => {
      const result = await spend(token ?? '');
      await reloadUser().catch(() => undefined);
      return result;
    },
    enabled: token !== undefined,
    retry: (failureCount, error) => failureCount < 1 && error instanceof ApiError && error.code === NETWORK_ERROR,
    staleTime: Infinity,
    gcTime: Infinity,
    refetchOnMount: false,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
  return { token, query };
}
