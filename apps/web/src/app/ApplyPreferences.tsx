import './preferences.css';

import { useMantineColorScheme } from '@mantine/core';
import { useEffect, useEffectEvent, useLayoutEffect } from 'react';

import { useAuth } from '../features/auth';
import { useLocalPreferences } from '../features/settings';
import {
  applyPreferencesToDocument,
  chosenPreferences,
  effectivePreferences,
  writeLocalPreferences,
} from '../lib/preferences';

/**
 * Applies the display preferences to the whole page: this device's (a visitor's choices), and over
 * them what the signed-in account chose. The colour scheme is set only when the account chose one,
 * so a choice made on this device before signing in stays otherwise; text size, reduced motion,
 * high contrast and density go on <html> (lib/preferences.ts, app/preferences.css). Signed in, the
 * result is kept on this device too, so the next visit paints with it at once (public/preferences.js).
 * Renders nothing.
 */
export function ApplyPreferences() {
  const { user } = useAuth();
  const local = useLocalPreferences();
  const { setColorScheme } = useMantineColorScheme();
  const stored: unknown = user?.preferences;
  const chosenScheme = chosenPreferences(stored).colorScheme;
  const preferences = effectivePreferences(local, stored);

  const applyScheme = useEffectEvent((scheme: typeof chosenScheme) => {
    if (scheme) setColorScheme(scheme);
  });
  useEffect(() => applyScheme(chosenScheme), [chosenScheme]);

  const { fontScale, reduceMotion, highContrast, density, maxReadingLevel, colorScheme } = preferences;
  useLayoutEffect(() => {
    applyPreferencesToDocument({ colorScheme, fontScale, reduceMotion, highContrast, density, maxReadingLevel });
  }, [colorScheme, fontScale, reduceMotion, highContrast, density, maxReadingLevel]);

  const signedIn = Boolean(user);
  useEffect(() => {
    if (signedIn) {
      writeLocalPreferences({ colorScheme, fontScale, reduceMotion, highContrast, density, maxReadingLevel });
    }
  }, [signedIn, colorScheme, fontScale, reduceMotion, highContrast, density, maxReadingLevel]);

  return null;
}
