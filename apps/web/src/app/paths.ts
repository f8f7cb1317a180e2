/**
 * Every client route's path, in one place: routes are declared with these and links are built
 * from them, so a path is renamed once. The mails link to `verifyEmail`, `confirmEmail`, `resetPassword` and
 * `settings.sessions` (APP_URL + path), and the API's start-up log to `setup`: those are part of
 * the API's contract and keep their paths.
 */
export const paths = {
  home: '/',
  /** The ops page: what the instance runs and whether it is ready. */
  status: '/status',
  /** First-run setup: the first admin, while none exists (the start-up log points here: APP_URL + path). */
  setup: '/setup',
  /** A member's public profile; build links with `profilePath(username)`. */
  profile: '/u/:username',
  signIn: '/sign-in',
  signUp: '/sign-up',
  verifyEmail: '/verify-email',
  /** The link mailed to the new address of an email change (APP_URL + path). */
  confirmEmail: '/confirm-email',
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

/** The public profile page of `username`. */
export const profilePath = (username: string): string => `/u/${encodeURIComponent(username)}`;

/** Pages the server itself answers (not client routes): links to them are full navigations. */
export const serverPaths = {
  /** The API reference (Scalar: accessible, phone-friendly). */
  apiReference: '/reference',
  /** Swagger UI, for trying calls. */
  swaggerUi: '/docs',
} as const;
