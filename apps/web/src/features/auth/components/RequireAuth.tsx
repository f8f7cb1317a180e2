import { Navigate, Outlet, useLocation } from 'react-router';

import { PageLoader } from '../../../components/ui/PageLoader';
import { signInPath } from '../returnTo';
import { useAuth } from '../useAuth';

/** Guards the routes below it: a signed-out visitor goes to sign in and comes back here afterwards. */
export function RequireAuth() {
  const { status } = useAuth();
  const location = useLocation();

  switch (status) {
    case 'signed-in':
      return <Outlet />;
    case 'restoring':
      return <PageLoader label="Checking your sign-in…" />;
    case 'signed-out':
      return <Navigate to={signInPath(`${location.pathname}${location.search}`)} replace />;
  }
}
