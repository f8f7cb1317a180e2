// The settings feature's public face. Pages are not here: they load lazily through settings.routes.ts.
export { useEffectivePreferences, useLocalPreferences, usePreferences, useSavePreferences } from './preferences';
