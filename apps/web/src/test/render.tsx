import { render } from '@testing-library/react';
import { createMemoryRouter, Outlet, type RouteObject, RouterProvider, useLocation } from 'react-router';

import { AppProviders } from '../app/AppProviders';
import { createQueryClient } from '../app/query-client';
import { routes } from '../app/routes';
import { AccountMenu, VerifyEmailBanner } from '../features/auth';
import { resetSession } from '../lib/session';

function testQueryClient() {
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { ...queryClient.getDefaultOptions().queries, retry: false } });
  return queryClient;
}

function renderRouter(router: ReturnType<typeof createMemoryRouter>) {
  const queryClient = testQueryClient();
  const view = render(
    <AppProviders queryClient={queryClient} mantineEnv="test">
      <RouterProvider router={router} />
    </AppProviders>,
  );
  return { ...view, router, queryClient };
}

/**
 * The whole app (providers, layout, the real lazily loaded routes) at `path`. Slow: for the shell
 * and the route table themselves; a page's behaviour is tested with `renderPage`.
 */
export function renderApp(path = '/') {
  // A fresh start of the app: the session is whatever the browser remembers (see `rememberSignIn`).
  resetSession();
  return renderRouter(createMemoryRouter(routes, { initialEntries: [path] }));
}

/** Exactly these routes (an app shell of their own, say) under the app's providers, at `path`. */
export function renderRoutes(tree: RouteObject[], path: string) {
  resetSession();
  return renderRouter(createMemoryRouter(tree, { initialEntries: [path] }));
}

/** The account corner and the verification banner around the page, as the app shell places them. */
function FeatureShell() {
  return (
    <>
      <header>
        <AccountMenu />
      </header>
      <main>
        <VerifyEmailBanner />
        <Outlet />
      </main>
    </>
  );
}

/** Any route the test did not render: says where the app went, for assertions on navigation. */
function Elsewhere() {
  const { pathname } = useLocation();
  return <h1>{`Elsewhere: ${pathname}`}</h1>;
}

/**
 * One feature's pages at `path`: the app's providers and session start, a header with the account
 * menu, and only the routes given (other paths render "Elsewhere: <path>"). Fast: no app layout,
 * no lazy loading, no home page.
 */
export function renderPage(pages: RouteObject[], path: string) {
  resetSession();
  const router = createMemoryRouter(
    [{ element: <FeatureShell />, children: [...pages, { path: '*', element: <Elsewhere /> }] }],
    { initialEntries: [path] },
  );
  return renderRouter(router);
}
