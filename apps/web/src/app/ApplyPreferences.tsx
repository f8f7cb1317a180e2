import { parsePreferences } from '@atrium/contracts';
import { useMantineColorScheme } from '@mantine/core';
import { useEffect, useEffectEvent } from 'react';

import { useAuth } from '../features/auth';

/**
 * Applies the signed-in account's preferences to the whole page: its colour scheme (only when one
 * was chosen, so a choice made on this device before signing in stays otherwise), its text size
 * (the root font size: Mantine measures in rem, so spacing grows with the text) and reduced
 * motion (`data-reduce-motion` on <html>, see global.css). Signed out, the defaults apply.
 * Renders nothing.
 */
export function ApplyPreferences() {
  const { user } = useAuth();
  const { setColorScheme } = useMantineColorScheme();
  const preferences = parsePreferences(user?.preferences);
  const chosenScheme = user && Object.hasOwn(user.preferences, 'colorScheme') ? preferences.colorScheme : undefined;

  const applyScheme = useEffectEvent((scheme: typeof chosenScheme) => {
    if (scheme) setColorScheme(scheme);
  });
  useEffect(() => applyScheme(chosenScheme), [chosenScheme]);

  const { fontScale, reduceMotion } = preferences;
  useEffect(() => {
    const root = document.documentElement;
    root.style.fontSize = fontScale === 1 ? '' : `${fontScale * 100}%`;
    root.toggleAttribute('data-reduce-motion', reduceMotion);
  }, [fontScale, reduceMotion]);

  return null;
}
