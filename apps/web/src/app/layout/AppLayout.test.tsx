import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { describe, expect, it } from 'vitest';

import { rememberSignIn, signedInApi } from '../../test/auth';
import { infoEnvelope, instanceInfo } from '../../test/api-fixtures';
import { api, json, requestsTo, useApi } from '../../test/msw';
import { renderRoutes } from '../../test/render';
import { PORTAL_HOST_ID } from '../portal-host';
import { theme } from '../theme';
import { AppLayout } from './AppLayout';
import { ROUTE_ANNOUNCER_ID } from './RouteAnnouncer';

/** A page with a title, an h1 and maybe a link on. */
function Page({ title, to }: { title: string; to?: string }) {
  return (
    <>
      <title>{`${title} · Atrium`}</title>
      <h1>{title}</h1>
      {to ? <Link to={to}>Go on</Link> : null}
    </>
  );
}

const renderShell = (path = '/') =>
  renderRoutes(
    [
      {
        element: <AppLayout />,
        children: [
          { path: '/', element: <Page title="Home" to="/next" /> },
          { path: '/next', element: <Page title="Next" /> },
          { path: '/status', element: <Page title="System status" /> },
          { path: '/sign-in', element: <Page title="Sign in" /> },
          { path: '/sign-up', element: <Page title="Sign up" /> },
          { path: '/settings/profile', element: <Page title="Profile settings" /> },
        ],
      },
    ],
    path,
  );

const announcer = () => document.getElementById(ROUTE_ANNOUNCER_ID);

describe('the header on a narrow screen', () => {
  it('folds navigation, colour scheme and sign-in into a menu behind a burger', async () => {
    const user = userEvent.setup({ delay: null });
    renderShell();

    const burger = within(screen.getByRole('banner')).getByRole('button', { name: 'Menu' });
    expect(burger).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();

    await user.click(burger);

    const menu = await screen.findByRole('dialog', { name: 'Menu' });
    expect(burger).toHaveAttribute('aria-expanded', 'true');
    expect(document.getElementById(burger.getAttribute('aria-controls') ?? '')).toContainElement(menu);
    const nav = within(menu).getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Posts' })).toHaveAttribute('href', '/posts');
    expect(within(nav).getByRole('link', { name: 'Status' })).toHaveAttribute('href', '/status');
    expect(within(nav).getByRole('link', { name: 'API docs' })).toHaveAttribute('href', '/reference');
    const scheme = within(menu).getByRole('radiogroup', { name: 'Colour scheme' });
    expect(
      within(scheme)
        .getAllByRole('radio')
        .map((radio) => radio.getAttribute('value')),
    ).toEqual(['light', 'dark', 'auto']);
    expect(within(menu).getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/sign-in');
    expect(within(menu).getByRole('link', { name: 'Sign up' })).toHaveAttribute('href', '/sign-up');
  });

  it('has popovers and dialogs rendered inside <main>, not after the landmarks at the end of <body>', () => {
    renderShell();

    // Mantine renders no portals in tests (env "test"); the theme's default is what it would use.
    const portalDefaults = theme.components?.Portal?.defaultProps as () => { target?: HTMLElement };
    const host = document.getElementById(PORTAL_HOST_ID);
    expect(host).not.toBeNull();
    expect(portalDefaults().target).toBe(host);
    expect(screen.getByRole('main')).toContainElement(host);
  });

  it('closes when a link in it is followed, and the new page takes focus', async () => {
    const user = userEvent.setup({ delay: null });
    renderShell();

    await user.click(screen.getByRole('button', { name: 'Menu' }));
    await user.click(
      within(await screen.findByRole('dialog', { name: 'Menu' })).getByRole('link', { name: 'Sign up' }),
    );

    const heading = await screen.findByRole('heading', { level: 1, name: 'Sign up' });
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(screen.getByRole('button', { name: 'Menu' })).toHaveAttribute('aria-expanded', 'false');
    // Not given back to the burger: the new page keeps it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(heading).toHaveFocus();
  });

  it('gives focus back to the burger when closed with Escape', async () => {
    const user = userEvent.setup({ delay: null });
    renderShell();
    const burger = screen.getByRole('button', { name: 'Menu' });

    await user.click(burger);
    await screen.findByRole('dialog', { name: 'Menu' });
    await user.keyboard('{Escape}');

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    await waitFor(() => expect(burger).toHaveFocus());
  });

  it("holds the signed-in account's settings and sign-out", async () => {
    const user = userEvent.setup({ delay: null });
    rememberSignIn();
    useApi(
      ...signedInApi(),
      api.post('/api/v1/auth/logout', () => new Response(null, { status: 204 })),
    );
    renderShell('/next');

    await screen.findByRole('button', { name: 'ada' });
    await user.click(screen.getByRole('button', { name: 'Menu' }));
    const menu = await screen.findByRole('dialog', { name: 'Menu' });
    const account = within(menu).getByRole('navigation', { name: 'Account' });
    expect(account).toHaveTextContent('Signed in as ada');
    expect(within(account).getByRole('link', { name: 'Settings' })).toHaveAttribute('href', '/settings/profile');
    expect(within(account).getByRole('link', { name: 'Your public profile' })).toHaveAttribute('href', '/u/ada');
    expect(within(menu).queryByRole('link', { name: 'Sign in' })).not.toBeInTheDocument();

    await user.click(within(account).getByRole('button', { name: 'Sign out' }));

    // Home first (a page that needs the account would ask to sign in again), then signed out.
    expect(await screen.findByRole('heading', { level: 1, name: 'Home' })).toBeInTheDocument();
    await waitFor(() => expect(requestsTo('/api/v1/auth/logout')).toHaveLength(1));
    expect(await screen.findAllByRole('link', { name: 'Sign in' })).not.toHaveLength(0);
  });
});

describe('route changes', () => {
  it('move focus to the new page’s h1 and announce "<page title> page"; the first page is left alone', async () => {
    const user = userEvent.setup({ delay: null });
    renderShell();

    await screen.findByRole('heading', { level: 1, name: 'Home' });
    expect(announcer()).toHaveAttribute('aria-live', 'polite');
    expect(announcer()).toHaveAttribute('role', 'status');
    expect(announcer()).toHaveTextContent('');
    expect(document.body).toHaveFocus();

    await user.click(screen.getByRole('link', { name: 'Go on' }));

    const heading = await screen.findByRole('heading', { level: 1, name: 'Next' });
    await waitFor(() => expect(heading).toHaveFocus());
    await waitFor(() => expect(announcer()).toHaveTextContent('Next page'));
  });

  it("from the header's links too, even though the link stays on screen", async () => {
    const user = userEvent.setup({ delay: null });
    renderShell('/next');
    await screen.findByRole('heading', { level: 1, name: 'Next' });

    await user.click(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Status' }));

    const heading = await screen.findByRole('heading', { level: 1, name: 'System status' });
    await waitFor(() => expect(heading).toHaveFocus());
    await waitFor(() => expect(announcer()).toHaveTextContent('System status page'));
    expect(
      within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Status' }),
    ).toHaveAttribute('aria-current', 'page');
  });

  it('follow a page that replaces its loading heading with its own', async () => {
    const user = userEvent.setup({ delay: null });
    renderRoutes(
      [
        {
          element: <AppLayout />,
          children: [
            { path: '/', element: <Page title="Home" to="/loading" /> },
            { path: '/loading', element: <LoadingPage /> },
          ],
        },
      ],
      '/',
    );

    await user.click(await screen.findByRole('link', { name: 'Go on' }));
    await waitFor(() => expect(screen.getByRole('heading', { level: 1, name: 'Loading' })).toHaveFocus());

    // The loading heading goes, and focus with it; it follows to the page's own heading.
    const heading = await screen.findByRole('heading', { level: 1, name: 'Loaded page' });
    await waitFor(() => expect(heading).toHaveFocus());
    await waitFor(() => expect(announcer()).toHaveTextContent('Loading page'));
  });

  it('never take focus from a field the user is typing in', async () => {
    const user = userEvent.setup({ delay: null });
    renderRoutes(
      [
        {
          element: <AppLayout />,
          children: [
            { path: '/', element: <Page title="Home" to="/slow" /> },
            { path: '/slow', element: <SlowPage /> },
          ],
        },
      ],
      '/',
    );

    await user.click(await screen.findByRole('link', { name: 'Go on' }));
    const field = await screen.findByRole('textbox', { name: 'Search' });
    await user.click(field);
    await user.click(screen.getByRole('button', { name: 'Show heading' }));
    await screen.findByRole('heading', { level: 1, name: 'Slow' });
    await user.type(field, 'x');

    expect(field).toHaveFocus();
    await waitFor(() => expect(announcer()).toHaveTextContent('Slow page'));
  });
});

/** A page whose heading comes later, with a field to type in meanwhile. */
function SlowPage() {
  const [shown, setShown] = useState(false);
  return (
    <>
      <title>Slow · Atrium</title>
      <label>
        Search <input type="text" />
      </label>
      <button type="button" onClick={() => setShown(true)}>
        Show heading
      </button>
      {shown ? <h1>Slow</h1> : null}
    </>
  );
}

/** A page that shows a heading of its own only after it has "loaded" (a moment after it opens). */
function LoadingPage() {
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setLoaded(true), 50);
    return () => clearTimeout(timer);
  }, []);
  return (
    <>
      <title>Loading · Atrium</title>
      {/* Another element, as a page's loading state renders its heading in a wrapper of its own. */}
      {loaded ? (
        <h1>Loaded page</h1>
      ) : (
        <div>
          <h1>Loading</h1>
        </div>
      )}
    </>
  );
}

describe('the header and footer', () => {
  it("show the site's name from the API, and name the site's RSS feed", async () => {
    useApi(api.get('/api/v1/info', () => json(infoEnvelope({ ...instanceInfo, siteName: 'The Reading Room' }))));
    renderShell();

    const banner = within(screen.getByRole('banner'));
    expect(await banner.findByRole('link', { name: 'The Reading Room' })).toHaveAttribute('href', '/');
    expect(screen.getByText('The Reading Room runs on Atrium — an open content platform.')).toBeInTheDocument();
    expect(within(screen.getByRole('contentinfo')).getByRole('link', { name: 'RSS feed' })).toHaveAttribute(
      'href',
      '/feed.xml',
    );
    const alternate = document.head.querySelector('link[rel="alternate"][type="application/rss+xml"]');
    expect(alternate).toHaveAttribute('href', '/feed.xml');
    expect(alternate).toHaveAttribute('title', 'The Reading Room — newest posts');
  });

  it('show "Atrium" while the site has no name of its own', async () => {
    useApi(api.get('/api/v1/info', () => json(infoEnvelope())));
    renderShell();

    await waitFor(() => expect(requestsTo('/api/v1/info')).toHaveLength(1));
    expect(within(screen.getByRole('banner')).getByRole('link', { name: 'Atrium' })).toHaveAttribute('href', '/');
  });
});
