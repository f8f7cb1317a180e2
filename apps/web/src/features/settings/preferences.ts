import { parsePreferences, type UserPreferences } from '@atrium/contracts';
import { useMutation } from '@tanstack/react-query';

import { useAuth } from '../auth';
import { updateProfile } from './api/settings.api';

/** The signed-in user's preferences, every key set (its default where none is stored); `undefined` when signed out. */
export function usePreferences(): UserPreferences | undefined {
  const { user } = useAuth();
  return user ? parsePreferences(user.preferences) : undefined;
}

/**
 * Saves the whole set (the API replaces what it stores); the session's user, and so the page, follow
 * at once. Outcome callbacks belong here, not to `mutate()`: a form keyed by the stored preferences
 * is replaced by the save itself, and `mutate()`'s callbacks do not outlive it.
 */
export function useSavePreferences(callbacks: { onSuccess?: () => void; onError?: (error: Error) => void } = {}) {
  return useMutation({
    mutationFn: (preferences: UserPreferences) => updateProfile({ preferences }),
    onSuccess: () => callbacks.onSuccess?.(),
    onError: (error) => callbacks.onError?.(error),
  });
}
