import { DEFAULT_PREFERENCES, parsePreferences, preferencesViolations } from '@atrium/contracts';
import { describe, expect, it } from 'vitest';

describe('preferences schema (libs/contracts)', () => {
  it('reads a stored value key by key: valid keys as stored, the rest at their defaults', () => {
    expect(parsePreferences({})).toEqual(DEFAULT_PREFERENCES);
    expect(parsePreferences(undefined)).toEqual({ colorScheme: 'auto', reduceMotion: false, fontScale: 1 });
    expect(parsePreferences({ colorScheme: 'dark', fontScale: 3, reduceMotion: 'yes', legacy: 1 })).toEqual({
      colorScheme: 'dark',
      reduceMotion: false,
      fontScale: 1,
    });
    expect(parsePreferences({ colorScheme: 'light', reduceMotion: true, fontScale: 1.25 })).toEqual({
      colorScheme: 'light',
      reduceMotion: true,
      fontScale: 1.25,
    });
  });

  it('lists every problem of a value to store, named like the request body fields', () => {
    expect(preferencesViolations({})).toEqual([]);
    expect(preferencesViolations({ colorScheme: 'dark', reduceMotion: true, fontScale: 1.5 })).toEqual([]);
    expect(preferencesViolations({ colorScheme: 'blue', theme: 'x', reduceMotion: 1, fontScale: 2 })).toEqual([
      { field: 'preferences.colorScheme', code: 'IS_IN', message: 'colorScheme must be one of auto, light, dark' },
      {
        field: 'preferences.theme',
        code: 'UNKNOWN_FIELD',
        message: 'theme is not a preference; known ones are colorScheme, reduceMotion, fontScale',
      },
      { field: 'preferences.reduceMotion', code: 'IS_BOOLEAN', message: 'reduceMotion must be true or false' },
      { field: 'preferences.fontScale', code: 'IS_IN', message: 'fontScale must be one of 1, 1.125, 1.25, 1.5' },
    ]);
    expect(preferencesViolations(['dark'])).toEqual([
      { field: 'preferences', code: 'IS_OBJECT', message: 'preferences must be an object' },
    ]);
  });
});
