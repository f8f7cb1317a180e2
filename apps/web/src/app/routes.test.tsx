import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { matchRoutes } from 'react-router';
import { describe, expect, it } from 'vitest';

import { envelope } from '../test/api-fixtures';
import { homePageApi } from '../test/auth';
import { api, json, useApi } from '../test/msw';
import { renderApp } from '../test/render';
import { paths } from './paths';
import { routes } from './routes';

/** The component a path ends up rendering: the deepest matched route's, after its lazy group has loaded. */
async function pageAt(path: string): Promise<string | undefined> {
  const matches = matchRoutes(routes, path) ?? [];
  const deepest = matches.at(-1)?.route;
  if (!deepest) return undefined;
  if (typeof deepest.lazy === 'function') {
    const loaded = await deepest.lazy();
    return loaded.Component?.name;
  }
  return deepest.Component?.name ?? (deepest.element ? 'element' : undefined);
}

describe('route table', () => {
  it('resolves every path of the registry to its page, each loaded with its route group', async () => {
    const expected: [string, string][] = [
      [paths.home, 'HomePage'],
      [paths.status, 'StatusPage'],
      [paths.setup, 'SetupPage'],
      [paths.posts, 'PostsPage'],
      ['/posts/tides-of-the-north-sea', 'PostPage'],
      ['/u/ada', 'ProfilePage'],
      [paths.signIn, 'SignInPage'],
      [paths.signUp, 'SignUpPage'],
      [paths.verifyEmail, 'VerifyEmailPage'],
      [paths.confirmEmail, 'ConfirmEmailChangePage'],
      [paths.forgotPassword, 'ForgotPasswordPage'],
      [paths.resetPassword, 'ResetPasswordPage'],
      [paths.settings.profile, 'ProfileSettingsPage'],
      [paths.settings.sessions, 'SessionsSettingsPage'],
      [paths.settings.security, 'SecuritySettingsPage'],
      [paths.settings.tokens, 'TokensSettingsPage'],
      [paths.settings.account, 'AccountSettingsPage'],
      ['/some/deep/link', 'NotFoundPage'],
    ];
    for (const [path, page] of expected) expect(await pageAt(path), path).toBe(page);
    // `/settings` itself redirects to the profile page.
    expect(await pageAt(paths.settings.root)).toBe('element');
  });

  it('keeps the paths the API mails and its start-up log link to (APP_URL + path)', () => {
    expect(paths.setup).toBe('/setup');
    expect(paths.verifyEmail).toBe('/verify-email');
    expect(paths.confirmEmail).toBe('/confirm-email');
    expect(paths.resetPassword).toBe('/reset-password');
    expect(paths.forgotPassword).toBe('/forgot-password');
    expect(paths.settings.sessions).toBe('/settings/sessions');
  });
});

/** The home page asks the site's info and whether setup is still needed. */
const setupDoneApi = api.get('/api/v1/setup', () => json(envelope({ required: false, codeRequired: false })));

describe('app shell and routing', () => {
  it('shows "Page not found" for an unknown path, with a link back home that works', async () => {
    const user = userEvent.setup({ delay: null });
    useApi(...homePageApi, setupDoneApi);
    const { router } = renderApp('/some/deep/link');

    expect(await screen.findByRole('heading', { level: 1, name: 'Page not found' })).toBeInTheDocument();
    expect(screen.getByText('/some/deep/link')).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: /^Welcome/ })).not.toBeInTheDocument();

    await user.click(screen.getByRole('link', { name: 'Back to the home page' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Welcome to Atrium' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/');
  });

  it('shows the status page at /status, linked from the home page', async () => {
    const user = userEvent.setup({ delay: null });
    useApi(...homePageApi, setupDoneApi);
    const { router } = renderApp('/');

    await user.click(await within(screen.getByRole('main')).findByRole('link', { name: 'System status' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'System status' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe(paths.status);
  });

  it('has a banner with the Atrium name, a main landmark and navigation to the API docs', async () => {
    useApi(...homePageApi, setupDoneApi);
    renderApp('/');

    const banner = screen.getByRole('banner');
    expect(within(banner).getByRole('link', { name: 'Atrium' })).toHaveAttribute('href', '/');
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Posts' })).toHaveAttribute('href', paths.posts);
    expect(within(nav).getByRole('link', { name: 'API docs' })).toHaveAttribute('href', '/reference');
    expect(screen.getByRole('main')).toContainElement(await screen.findByRole('heading', { level: 1 }));
    expect(screen.getByRole('link', { name: 'Skip to main content' })).toHaveAttribute('href', '#main-content');
  });
});
