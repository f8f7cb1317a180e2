import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { paths } from '../../app/paths';
import { ada, errorEnvelope, message, tokensEnvelope } from '../../test/api-fixtures';
import { bodyOf, rememberSignIn, signedInApi } from '../../test/auth';
import { api, callsTo, json, requestsTo, useApi } from '../../test/msw';
import { renderPage } from '../../test/render';
import { RequireAuth } from './components/RequireAuth';
import { SignInPage } from './SignInPage';

/** The sign-in page, and a page that needs an account (standing in for the settings). */
const renderAt = (path: string) =>
  renderPage(
    [
      { path: paths.signIn, element: <SignInPage /> },
      { element: <RequireAuth />, children: [{ path: paths.settings.sessions, element: <h1>Sessions</h1> }] },
    ],
    path,
  );

const banner = () => within(screen.getByRole('banner'));
const passwordField = () => screen.getByLabelText(/^Password/, { selector: 'input' });

async function signInWith(user: ReturnType<typeof userEvent.setup>, login: string, password: string) {
  await user.type(screen.getByRole('textbox', { name: 'Email or username' }), login);
  await user.type(passwordField(), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('Sign-in page', () => {
  it('signs in with a username and shows the user menu in the header instead of Sign in / Sign up', async () => {
    const user = userEvent.setup({ delay: null });
    useApi(api.post('/api/v1/auth/login', () => json(tokensEnvelope('access-1'))));
    const { router } = renderAt('/sign-in');

    expect(screen.getByRole('heading', { level: 1, name: 'Sign in' })).toBeInTheDocument();
    expect(banner().getByRole('link', { name: 'Sign up' })).toHaveAttribute('href', '/sign-up');

    await signInWith(user, 'ada', 'quiet lantern amber fjord');

    const menuButton = await banner().findByRole('button', { name: 'ada' });
    expect(banner().queryByRole('link', { name: 'Sign in' })).not.toBeInTheDocument();
    expect(banner().queryByRole('link', { name: 'Sign up' })).not.toBeInTheDocument();
    await waitFor(() => expect(router.state.location.pathname).toBe('/'));
    expect(await bodyOf(requestsTo('/api/v1/auth/login')[0])).toEqual({
      login: 'ada',
      password: 'quiet lantern amber fjord',
    });

    await user.click(menuButton);
    expect(await screen.findByRole('menuitem', { name: 'Settings' })).toHaveAttribute('href', '/settings/profile');
    expect(screen.getByRole('menuitem', { name: 'Sign out' })).toBeInTheDocument();
  });

  it('shows one generic message for a wrong login or password and keeps what was typed', async () => {
    const user = userEvent.setup({ delay: null });
    useApi(
      api.post('/api/v1/auth/login', () =>
        json(errorEnvelope('UNAUTHENTICATED', 'The login or the password is wrong', 'req-login-1'), 401),
      ),
    );
    renderAt('/sign-in');

    await signInWith(user, 'ada@example.com', 'not my password');

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Could not sign you in')).toBeInTheDocument();
    expect(within(alert).getByText('The email address, username or password is wrong.')).toBeInTheDocument();
    expect(alert).toHaveFocus();
    expect(screen.getByRole('textbox', { name: 'Email or username' })).toHaveValue('ada@example.com');
    expect(banner().getByRole('link', { name: 'Sign in' })).toBeInTheDocument();
  });

  it('says for how many minutes a locked account stays locked (Retry-After)', async () => {
    const user = userEvent.setup({ delay: null });
    useApi(
      api.post('/api/v1/auth/login', () =>
        json(errorEnvelope('ACCOUNT_LOCKED', 'Too many failed sign-ins', 'req-locked-1'), 423, {
          'retry-after': '840',
        }),
      ),
    );
    renderAt('/sign-in');

    await signInWith(user, 'ada', 'guess number six');

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Account locked for now')).toBeInTheDocument();
    expect(
      within(alert).getByText('Too many failed sign-ins. Try again in 14 minutes, or reset your password.'),
    ).toBeInTheDocument();
  });

  it('asks for the authenticator code when the account has two-factor authentication', async () => {
    const user = userEvent.setup({ delay: null });
    let attempts = 0;
    useApi(
      // The first attempt has no code: the API asks for one.
      api.post('/api/v1/auth/login', () =>
        ++attempts === 1
          ? json(errorEnvelope('TOTP_REQUIRED', 'Enter the current code from your authenticator app', 'req-totp'), 401)
          : json(tokensEnvelope('access-1')),
      ),
    );
    renderAt('/sign-in');

    await signInWith(user, 'ada', 'quiet lantern amber fjord');

    const code = await screen.findByRole('textbox', { name: 'Authentication code' });
    expect(code).toHaveFocus();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    await user.type(code, '123456');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await banner().findByRole('button', { name: 'ada' })).toBeInTheDocument();
    expect(await bodyOf(requestsTo('/api/v1/auth/login')[1])).toEqual({
      login: 'ada',
      password: 'quiet lantern amber fjord',
      totpCode: '123456',
    });
  });

  it('sends a signed-out visitor of a protected page to sign in, and back there afterwards', async () => {
    const user = userEvent.setup({ delay: null });
    useApi(api.post('/api/v1/auth/login', () => json(tokensEnvelope('access-1'))));
    const { router } = renderAt('/settings/sessions');

    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/sign-in');

    await signInWith(user, 'ada', 'quiet lantern amber fjord');

    expect(await screen.findByRole('heading', { level: 1, name: 'Sessions' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/settings/sessions');
  });

  it('never follows a returnTo that leaves the app', async () => {
    const user = userEvent.setup({ delay: null });
    useApi(api.post('/api/v1/auth/login', () => json(tokensEnvelope('access-1'))));
    const { router } = renderAt('/sign-in?returnTo=%2F%2Fevil.example%2Fphish');

    await signInWith(user, 'ada', 'quiet lantern amber fjord');

    await waitFor(() => expect(router.state.location.pathname).toBe('/'));
  });
});

describe('Session in the header', () => {
  it('restores the session at start from the refresh cookie, without a password', async () => {
    rememberSignIn();
    useApi(...signedInApi());
    renderAt('/');

    expect(await banner().findByRole('button', { name: 'ada' })).toBeInTheDocument();
    expect(callsTo('/api/v1/auth/refresh')).toBe(1);
  });

  it('does not ask the API about a session when this browser never signed in', async () => {
    useApi(...signedInApi());
    renderAt('/');

    expect(banner().getByRole('link', { name: 'Sign in' })).toBeInTheDocument();
    // Once the page is in and start-up's effects (and whatever they sent) have settled: still no refresh attempt.
    expect(await screen.findByRole('heading', { level: 1, name: 'Elsewhere: /' })).toBeInTheDocument();
    await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
    expect(callsTo('/api/v1/auth/refresh')).toBe(0);
    expect(banner().getByRole('link', { name: 'Sign in' })).toBeInTheDocument();
  });

  it('shows Sign in when the remembered session has ended on the server', async () => {
    rememberSignIn();
    useApi(
      api.post('/api/v1/auth/refresh', () =>
        json(errorEnvelope('UNAUTHENTICATED', 'The refresh token is invalid or has expired', 'req-r'), 401),
      ),
    );
    renderAt('/');

    expect(await banner().findByRole('link', { name: 'Sign in' })).toBeInTheDocument();
    expect(banner().queryByRole('button', { name: 'ada' })).not.toBeInTheDocument();
  });

  it('signs out from the user menu: the session ends on the server and the header offers Sign in again', async () => {
    const user = userEvent.setup({ delay: null });
    rememberSignIn();
    useApi(
      ...signedInApi(ada, 'access-7'),
      api.post('/api/v1/auth/logout', () => json(message('Signed out'))),
    );
    renderAt('/');

    await user.click(await banner().findByRole('button', { name: 'ada' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Sign out' }));

    expect(await banner().findByRole('link', { name: 'Sign in' })).toBeInTheDocument();
    const [logout] = requestsTo('/api/v1/auth/logout');
    expect(logout?.headers.get('authorization')).toBe('Bearer access-7');
  });

  it('shows an unverified user a banner that sends a new verification mail', async () => {
    const user = userEvent.setup({ delay: null });
    rememberSignIn();
    useApi(
      ...signedInApi({ ...ada, emailVerified: false }),
      api.post('/api/v1/auth/resend-verification', () => json(message('A new verification mail is on its way'), 202)),
    );
    renderAt('/');

    const region = await screen.findByRole('region', { name: 'Confirm your email address' });
    expect(within(region).getByText('ada@example.com')).toBeInTheDocument();
    await user.click(within(region).getByRole('button', { name: 'Resend verification mail' }));

    expect(await within(region).findByText(/A new mail is on its way/)).toBeInTheDocument();
    expect(callsTo('/api/v1/auth/resend-verification')).toBe(1);
  });

  it('shows no verification banner to a verified user', async () => {
    rememberSignIn();
    useApi(...signedInApi());
    renderAt('/');

    expect(await banner().findByRole('button', { name: 'ada' })).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Confirm your email address' })).not.toBeInTheDocument();
  });
});
