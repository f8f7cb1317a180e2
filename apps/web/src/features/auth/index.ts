// The auth feature's public face: what the app shell and other features may use. Pages are not
// here: they load lazily through auth.routes.ts, so importing this file never pulls them in.
export { accountKeys } from './api/account.keys';
export { type Me, reloadUser, signOutEverywhere } from './api/auth.api';
export { meQueryOptions, useMe } from './api/me.queries';
export { AccountMenu } from './components/AccountMenu';
export { RequireAuth } from './components/RequireAuth';
export { ResendVerificationButton } from './components/ResendVerificationButton';
export { SessionSync } from './components/SessionSync';
export { VerifyEmailBanner } from './components/VerifyEmailBanner';
export { Can, type Permissions, useCan, usePermissions } from './permissions';
export { signInPath } from './returnTo';
export { type Auth, useAuth } from './useAuth';
