import { parsePreferences, PREFERENCE_KEYS, type UserPreferences } from '@atrium/contracts';

/**
 * The display preferences as this device last applied them (a visitor's own choices, or the
 * signed-in account's): read before the first paint by public/preferences.js, which applies them
 * the same way `applyPreferencesToDocument` does. Keep the two in step.
 */
export const PREFERENCES_STORAGE_KEY = 'atrium-preferences';

const listeners = new Set<() => void>();
let lastRaw: string | null | undefined;
let lastValue: UserPreferences = parsePreferences(undefined);

function readRaw(): string | null {
  try {
    return window.localStorage.getItem(PREFERENCES_STORAGE_KEY);
  } catch {
    // Storage refused (private mode, a policy): the defaults.
    return null;
  }
}

/** This device's preferences, every key set; the same object until the stored value changes. */
export function readLocalPreferences(): UserPreferences {
  const raw = readRaw();
  if (raw !== lastRaw) {
    lastRaw = raw;
    let stored: unknown;
    try {
      stored = raw ? JSON.parse(raw) : undefined;
    } catch {
      stored = undefined;
    }
    lastValue = parsePreferences(stored);
  }
  return lastValue;
}

/** Keeps `preferences` on this device; every subscriber hears of it (when something changed). */
export function writeLocalPreferences(preferences: UserPreferences): void {
  const raw = JSON.stringify(parsePreferences(preferences));
  if (raw === readRaw()) return;
  try {
    window.localStorage.setItem(PREFERENCES_STORAGE_KEY, raw);
  } catch {
    // Not kept: they still apply to this page (the subscribers read the defaults otherwise).
  }
  for (const listener of listeners) listener();
}

/** For `useSyncExternalStore`: changes made here, and in other tabs (the `storage` event). */
export function subscribeLocalPreferences(listener: () => void): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key === null || event.key === PREFERENCES_STORAGE_KEY) listener();
  };
  listeners.add(listener);
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

/** The keys an account actually chose (validly): a stored `{}` chose nothing, and the device's choices stay. */
export function chosenPreferences(stored: unknown): Partial<UserPreferences> {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return {};
  const parsed = parsePreferences(stored);
  const record = stored as Record<string, unknown>;
  return Object.fromEntries(
    PREFERENCE_KEYS.filter((key) => Object.hasOwn(record, key) && record[key] === parsed[key]).map((key) => [
      key,
      parsed[key],
    ]),
  );
}

/** What applies: the device's preferences, overridden by what the signed-in account chose. */
export function effectivePreferences(local: UserPreferences, stored?: unknown): UserPreferences {
  return { ...local, ...chosenPreferences(stored) };
}

/**
 * Applies everything but the colour scheme (Mantine's) to <html>: the text size (the root font
 * size: Mantine measures in rem), `data-reduce-motion`, `data-high-contrast` and `data-density`
 * (see app/preferences.css).
 */
export function applyPreferencesToDocument(
  { fontScale, reduceMotion, highContrast, density }: UserPreferences,
  root: HTMLElement = document.documentElement,
): void {
  root.style.fontSize = fontScale === 1 ? '' : `${fontScale * 100}%`;
  root.toggleAttribute('data-reduce-motion', reduceMotion);
  root.toggleAttribute('data-high-contrast', highContrast);
  root.setAttribute('data-density', density);
}
