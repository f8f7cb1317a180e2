import { Navigate, type RouteObject } from 'react-router';

import { RequireAuth } from '../features/auth/components/RequireAuth';
import { ForgotPasswordPage } from '../features/auth/ForgotPasswordPage';
import { ResetPasswordPage } from '../features/auth/ResetPasswordPage';
import { SignInPage } from '../features/auth/SignInPage';
import { SignUpPage } from '../features/auth/SignUpPage';
import { VerifyEmailPage } from '../features/auth/VerifyEmailPage';
import { NotFoundPage } from '../features/not-found/NotFoundPage';
import { AccountSettingsPage } from '../features/settings/AccountSettingsPage';
import { ProfileSettingsPage } from '../features/settings/ProfileSettingsPage';
import { SessionsSettingsPage } from '../features/settings/SessionsSettingsPage';
import { SecuritySettingsPage } from '../features/settings/SecuritySettingsPage';
import { SettingsLayout } from '../features/settings/SettingsLayout';
import { TokensSettingsPage } from '../features/settings/TokensSettingsPage';
import { StatusPage } from '../features/status/StatusPage';
import { AppLayout } from './layout/AppLayout';
import { RouteErrorPage } from './RouteErrorPage';

export const routes: RouteObject[] = [
  {
    element: <AppLayout />,
    errorElement: <RouteErrorPage />,
    children: [
      { index: true, element: <StatusPage /> },
      { path: 'sign-in', element: <SignInPage /> },
      { path: 'sign-up', element: <SignUpPage /> },
      // The mails link to these three: their paths are part of the API's contract (APP_URL + path).
      { path: 'verify-email', element: <VerifyEmailPage /> },
      { path: 'forgot-password', element: <ForgotPasswordPage /> },
      { path: 'reset-password', element: <ResetPasswordPage /> },
      {
        element: <RequireAuth />,
        children: [
          {
            path: 'settings',
            element: <SettingsLayout />,
            children: [
              { index: true, element: <Navigate to="/settings/profile" replace /> },
              { path: 'profile', element: <ProfileSettingsPage /> },
              // The "new sign-in" mail links here.
              { path: 'sessions', element: <SessionsSettingsPage /> },
              { path: 'security', element: <SecuritySettingsPage /> },
              { path: 'tokens', element: <TokensSettingsPage /> },
              { path: 'account', element: <AccountSettingsPage /> },
            ],
          },
        ],
      },
      // The server answers every unknown path with index.html; the SPA owns the 404.
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
