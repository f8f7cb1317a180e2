import type { UserPreferences } from '@atrium/contracts';
import { useMutation } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';

import { effectivePreferences, readLocalPreferences, subscribeLocalPreferences } from '../../lib/preferences';
import { useAuth } from '../auth';
import { updateProfile } from './api/settings.api';

/** This device's display preferences (a visitor's, or the last signed-in account's), every key set. */
export function useLocalPreferences(): UserPreferences {
  return useSyncExternalStore(subscribeLocalPreferences, readLocalPreferences, readLocalPreferences);
}

/**
 * The preferences that apply, signed in or not: this device's, overridden by what the account chose.
 * The feed reads `maxReadingLevel` from here.
 */
export function useEffectivePreferences(): UserPreferences {
  const { user } = useAuth();
  const local = useLocalPreferences();
  return effectivePreferences(local, user?.preferences);
}

/**
 * The signed-in user's preferences, every key set (this device's where the account chose none);
 * `undefined` when signed out.
 */
export function usePreferences(): UserPreferences | undefined {
  const { user } = useAuth();
  const preferences = useEffectivePreferences();
  return user ? preferences : undefined;
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
