import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';

import { restoreSession } from '../../../lib/api';
import { session, SESSION_HINT_KEY } from '../../../lib/session';
import { accountKeys } from '../api/account.keys';
import { useAuth } from '../useAuth';

/**
 * Restores the session once at start-up, follows sign-in and sign-out in other tabs, and drops the
 * previous account's cached data when signed out. Renders nothing.
 */
export function SessionSync() {
  const queryClient = useQueryClient();
  const { status } = useAuth();

  useEffect(() => {
    void restoreSession();
  }, []);

  useEffect(() => {
    // After the commit: the pages that showed account data are gone, so nothing refetches it.
    if (status === 'signed-out') queryClient.removeQueries({ queryKey: accountKeys.all });
  }, [status, queryClient]);

  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key !== SESSION_HINT_KEY) return;
      const { status: current } = session.get();
      if (event.newValue === null && current === 'signed-in') session.signedOut();
      else if (event.newValue !== null && current === 'signed-out') void restoreSession();
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);

  return null;
}
