/**
 * Every client route's path, in one place: routes are declared with these and links are built
 * from them, so a path is renamed once. The mails link to `verifyEmail`, `resetPassword` and
 * `settings.sessions` (APP_URL + path): those three are part of the API's contract and keep
 * their paths.
 */
export const paths = {
  home: '/',
  signIn: '/sign-in',
  signUp: '/sign-up',
  verifyEmail: '/verify-email',
  forgotPassword: '/forgot-password',
  resetPassword: '/reset-password',
  settings: {
    root: '/settings',
    profile: '/settings/profile',
    sessions: '/settings/sessions',
    security: '/settings/security',
    tokens: '/settings/tokens',
    account: '/settings/account',
  },
} as const;

/** Pages the server itself answers (not client routes): links to them are full navigations. */
export const serverPaths = {
  apiDocs: '/docs',
} as const;
