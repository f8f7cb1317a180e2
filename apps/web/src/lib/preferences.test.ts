import { DEFAULT_PREFERENCES, parsePreferences, preferencesViolations } from '@atrium/contracts';
import { afterEach, describe, expect, it } from 'vitest';

import {
  applyPreferencesToDocument,
  chosenPreferences,
  effectivePreferences,
  PREFERENCES_STORAGE_KEY,
  readLocalPreferences,
  subscribeLocalPreferences,
  writeLocalPreferences,
} from './preferences';

describe('preferences schema (libs/contracts)', () => {
  it('reads a stored value key by key: valid keys as stored, the rest at their defaults', () => {
    expect(parsePreferences({})).toEqual(DEFAULT_PREFERENCES);
    expect(parsePreferences(undefined)).toEqual({
      colorScheme: 'auto',
      reduceMotion: false,
      fontScale: 1,
      highContrast: false,
      density: 'comfortable',
      maxReadingLevel: null,
    });
    expect(
      parsePreferences({ colorScheme: 'dark', fontScale: 3, reduceMotion: 'yes', density: 'airy', maxReadingLevel: 7 }),
    ).toEqual({ ...DEFAULT_PREFERENCES, colorScheme: 'dark' });
    expect(
      parsePreferences({
        colorScheme: 'light',
        reduceMotion: true,
        fontScale: 1.25,
        highContrast: true,
        maxReadingLevel: 8,
      }),
    ).toEqual({
      colorScheme: 'light',
      reduceMotion: true,
      fontScale: 1.25,
      highContrast: true,
      density: 'comfortable',
      maxReadingLevel: 8,
    });
  });

  it('lists every problem of a value to store, named like the request body fields', () => {
    expect(preferencesViolations({})).toEqual([]);
    expect(preferencesViolations({ ...DEFAULT_PREFERENCES, density: 'spacious', maxReadingLevel: 16 })).toEqual([]);
    expect(preferencesViolations({ colorScheme: 'blue', highContrast: 1, density: 'airy' })).toEqual([
      { field: 'preferences.colorScheme', code: 'IS_IN', message: 'colorScheme must be one of auto, light, dark' },
      { field: 'preferences.highContrast', code: 'IS_BOOLEAN', message: 'highContrast must be true or false' },
      {
        field: 'preferences.density',
        code: 'IS_IN',
        message: 'density must be one of compact, comfortable, spacious',
      },
    ]);
    expect(preferencesViolations(['dark'])).toEqual([
      { field: 'preferences', code: 'IS_OBJECT', message: 'preferences must be an object' },
    ]);
  });
});

describe("this device's preferences (lib/preferences)", () => {
  const root = document.documentElement;
  afterEach(() => {
    root.removeAttribute('data-high-contrast');
    root.removeAttribute('data-density');
  });

  it('are kept in localStorage, read back whole, and tell subscribers of a change (only of a change)', () => {
    expect(readLocalPreferences()).toEqual(DEFAULT_PREFERENCES);
    let heard = 0;
    const unsubscribe = subscribeLocalPreferences(() => (heard += 1));
    writeLocalPreferences({ ...DEFAULT_PREFERENCES, highContrast: true, density: 'compact' });
    writeLocalPreferences({ ...DEFAULT_PREFERENCES, highContrast: true, density: 'compact' });
    unsubscribe();
    expect(heard).toBe(1);
    expect(JSON.parse(window.localStorage.getItem(PREFERENCES_STORAGE_KEY) ?? '{}')).toMatchObject({
      highContrast: true,
      density: 'compact',
    });
    expect(readLocalPreferences()).toEqual({ ...DEFAULT_PREFERENCES, highContrast: true, density: 'compact' });
    // A value spoilt by hand reads as the defaults.
    window.localStorage.setItem(PREFERENCES_STORAGE_KEY, '{not json');
    expect(readLocalPreferences()).toEqual(DEFAULT_PREFERENCES);
  });

  it("override this device's choices only with what the account chose", () => {
    const local = { ...DEFAULT_PREFERENCES, highContrast: true, density: 'spacious' as const };
    expect(chosenPreferences({ density: 'compact', fontScale: 9 })).toEqual({ density: 'compact' });
    expect(effectivePreferences(local, {})).toEqual(local);
    expect(effectivePreferences(local, { density: 'compact', highContrast: false })).toEqual({
      ...local,
      density: 'compact',
      highContrast: false,
    });
  });

  it('go on <html> as attributes and the root font size', () => {
    applyPreferencesToDocument({ ...DEFAULT_PREFERENCES, highContrast: true, density: 'spacious', fontScale: 1.5 });
    expect(root).toHaveAttribute('data-high-contrast');
    expect(root).toHaveAttribute('data-density', 'spacious');
    expect(root.style.fontSize).toBe('150%');
    applyPreferencesToDocument(DEFAULT_PREFERENCES);
    expect(root).not.toHaveAttribute('data-high-contrast');
    expect(root).toHaveAttribute('data-density', 'comfortable');
    expect(root.style.fontSize).toBe('');
  });
});
