// The settings route group, loaded on demand (one chunk): only src/app/routes.tsx imports this, lazily.
export { AccessibilitySettingsPage, PublicAccessibilityPage } from './AccessibilitySettingsPage';
export { AccountSettingsPage } from './AccountSettingsPage';
export { ProfileSettingsPage } from './ProfileSettingsPage';
export { SecuritySettingsPage } from './SecuritySettingsPage';
export { SessionsSettingsPage } from './SessionsSettingsPage';
export { SettingsLayout } from './SettingsLayout';
export { TokensSettingsPage } from './TokensSettingsPage';
