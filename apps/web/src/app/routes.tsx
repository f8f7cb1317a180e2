import type { RouteObject } from 'react-router';

import { NotFoundPage } from '../features/not-found/NotFoundPage';
import { StatusPage } from '../features/status/StatusPage';
import { AppLayout } from './layout/AppLayout';
import { RouteErrorPage } from './RouteErrorPage';

export const routes: RouteObject[] = [
  {
    element: <AppLayout />,
    errorElement: <RouteErrorPage />,
    children: [
      { index: true, element: <StatusPage /> },
      // The server answers every unknown path with index.html; the SPA owns the 404.
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
