/**
 * The user preferences the SPA stores in `users.preferences` (JSON) and applies on every page.
 * Framework-free: the API validates a `PATCH /me` body with `preferencesViolations`, the SPA
 * reads a stored value with `parsePreferences`. A stored object may hold only some keys (older
 * accounts hold `{}`); a missing key means its default.
 */

export const COLOR_SCHEMES = ['auto', 'light', 'dark'] as const;
/** `auto` follows the operating system's light or dark setting. */
export type ColorSchemePreference = (typeof COLOR_SCHEMES)[number];

/** Text size as a multiple of the browser's own: everything measured in rem grows with it. */
export const FONT_SCALES = [1, 1.125, 1.25, 1.5] as const;
export type FontScale = (typeof FONT_SCALES)[number];

export const DENSITIES = ['compact', 'comfortable', 'spacious'] as const;
export type Density = (typeof DENSITIES)[number];

/** Highest reading levels a reader may pick (US school grades); null: no limit. */
export const MAX_READING_LEVELS = [null, 6, 8, 10, 12, 14, 16] as const;
export type MaxReadingLevel = (typeof MAX_READING_LEVELS)[number];

export type UserPreferences = {
  colorScheme: ColorSchemePreference;
  /** Animations and transitions off whatever the operating system says; `false` follows the system. */
  reduceMotion: boolean;
  fontScale: FontScale;
  /** Stronger contrast than WCAG AA asks for: text, borders and focus rings at AAA (7:1) where possible. */
  highContrast: boolean;
  /** Spacing of lists, tables and controls. */
  density: Density;
  /** The feed shows posts up to this reading level unless the reader asks otherwise; null: all. */
  maxReadingLevel: MaxReadingLevel;
};

export const DEFAULT_PREFERENCES: Readonly<UserPreferences> = Object.freeze({
  colorScheme: 'auto',
  reduceMotion: false,
  fontScale: 1,
  highContrast: false,
  density: 'comfortable',
  maxReadingLevel: null,
});

/** One problem with a preferences value, shaped like an entry of the error envelope's `details`. */
export interface PreferenceViolation {
  field: string;
  message: string;
  code: string;
}

export const PreferenceViolationCode = {
  /** `preferences` is not a JSON object. */
  IS_OBJECT: 'IS_OBJECT',
  /** A key this schema does not know: preferences are not free-form (the code of every unknown field). */
  UNKNOWN_FIELD: 'UNKNOWN_FIELD',
  /** A known key with a value outside its allowed set. */
  IS_IN: 'IS_IN',
  IS_BOOLEAN: 'IS_BOOLEAN',
} as const;

type Check = (value: unknown) => { code: string; message: string } | undefined;

const oneOf =
  (allowed: readonly unknown[], what: string): Check =>
  (value) =>
    allowed.includes(value)
      ? undefined
      : { code: PreferenceViolationCode.IS_IN, message: `${what} must be one of ${allowed.join(', ')}` };

const CHECKS: { [K in keyof UserPreferences]: Check } = {
  colorScheme: oneOf(COLOR_SCHEMES, 'colorScheme'),
  reduceMotion: (value) =>
    typeof value === 'boolean'
      ? undefined
      : { code: PreferenceViolationCode.IS_BOOLEAN, message: 'reduceMotion must be true or false' },
  fontScale: oneOf(FONT_SCALES, 'fontScale'),
  highContrast: (value) =>
    typeof value === 'boolean'
      ? undefined
      : { code: PreferenceViolationCode.IS_BOOLEAN, message: 'highContrast must be true or false' },
  density: oneOf(DENSITIES, 'density'),
  maxReadingLevel: oneOf(MAX_READING_LEVELS, 'maxReadingLevel'),
};

export const PREFERENCE_KEYS = Object.keys(CHECKS) as readonly (keyof UserPreferences)[];

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isKey = (key: string): key is keyof UserPreferences => Object.hasOwn(CHECKS, key);

/**
 * Every problem with `value` as a (possibly partial) preferences object; empty when it is valid.
 * Fields are named `preferences.<key>`, as the request body names them.
 */
export function preferencesViolations(value: unknown): PreferenceViolation[] {
  if (!isPlainObject(value)) {
    return [
      { field: 'preferences', code: PreferenceViolationCode.IS_OBJECT, message: 'preferences must be an object' },
    ];
  }
  const violations: PreferenceViolation[] = [];
  for (const [key, entry] of Object.entries(value)) {
    const field = `preferences.${key}`;
    if (!isKey(key)) {
      violations.push({
        field,
        code: PreferenceViolationCode.UNKNOWN_FIELD,
        message: `${key} is not a preference; known ones are ${PREFERENCE_KEYS.join(', ')}`,
      });
      continue;
    }
    const problem = CHECKS[key](entry);
    if (problem) violations.push({ field, ...problem });
  }
  return violations;
}

/**
 * The preferences a stored value stands for: each valid key as stored, every other one at its
 * default. Never throws: a value written before a key existed, or by hand, still gives a usable set.
 */
export function parsePreferences(value: unknown): UserPreferences {
  const parsed: UserPreferences = { ...DEFAULT_PREFERENCES };
  if (!isPlainObject(value)) return parsed;
  for (const key of PREFERENCE_KEYS) {
    if (Object.hasOwn(value, key) && CHECKS[key](value[key]) === undefined) {
      Object.assign(parsed, { [key]: value[key] });
    }
  }
  return parsed;
}
