import { queryOptions, useQuery } from '@tanstack/react-query';

import { useAuth } from '../useAuth';
import { accountKeys } from './account.keys';
import { fetchMe } from './auth.api';

export const meQueryOptions = () =>
  queryOptions({
    queryKey: accountKeys.me(),
    queryFn: ({ signal }) => fetchMe(signal),
  });

/** `GET /auth/me` for the signed-in user: roles and permissions. Asks nothing while signed out. */
export function useMe() {
  const { status } = useAuth();
  return useQuery({ ...meQueryOptions(), enabled: status === 'signed-in' });
}
