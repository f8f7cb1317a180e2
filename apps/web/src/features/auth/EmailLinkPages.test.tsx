import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { paths } from '../../app/paths';
import { ada, detailedErrorEnvelope, envelope, errorEnvelope, message } from '../../test/api-fixtures';
import { bodyOf, rememberSignIn, signedInApi } from '../../test/auth';
import { api, callsTo, json, requestsTo, useApi } from '../../test/msw';
import { renderPage } from '../../test/render';
import { ForgotPasswordPage } from './ForgotPasswordPage';
import { ResetPasswordPage } from './ResetPasswordPage';
import { VerifyEmailPage } from './VerifyEmailPage';

/** The pages the mails link to (and the one that asks for a reset mail). */
const renderAt = (path: string) =>
  renderPage(
    [
      { path: paths.verifyEmail, element: <VerifyEmailPage /> },
      { path: paths.forgotPassword, element: <ForgotPasswordPage /> },
      { path: paths.resetPassword, element: <ResetPasswordPage /> },
    ],
    path,
  );

const linkRefused = () =>
  json(errorEnvelope('BAD_REQUEST', 'This link is invalid, used or expired; ask for a new one', 'req-v'), 400);

const TOKEN = 'fH-t1jnRynORneHI9B5Hmrs7U2ojtuWN1mmqJHRckKE';

describe('Verify-email page (link from the verification mail)', () => {
  it('posts the token from the URL once and says the address is confirmed, with a way to sign in', async () => {
    useApi(
      api.post('/api/v1/auth/verify-email', () =>
        json(envelope({ message: 'Email address verified', alreadyVerified: false })),
      ),
    );
    renderAt(`/verify-email?token=${TOKEN}`);

    const heading = await screen.findByRole('heading', { level: 1, name: 'Email address confirmed' });
    expect(heading).toHaveFocus();
    expect(within(screen.getByRole('main')).getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/sign-in');
    const posts = requestsTo('/api/v1/auth/verify-email');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.method).toBe('POST');
    expect(await bodyOf(posts[0])).toEqual({ token: TOKEN });
  });

  it('says when the link is used or expired, and points to sign in for a new one', async () => {
    useApi(api.post('/api/v1/auth/verify-email', linkRefused));
    renderAt(`/verify-email?token=${TOKEN}`);

    expect(
      await screen.findByRole('heading', { level: 1, name: 'Your email address was not confirmed' }),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('alert')).getByText('This link is invalid, used or expired; ask for a new one'),
    ).toBeInTheDocument();
    expect(within(screen.getByRole('main')).getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/sign-in');
  });

  it('offers a new mail to a signed-in user whose link failed', async () => {
    rememberSignIn();
    useApi(...signedInApi({ ...ada, emailVerified: false }), api.post('/api/v1/auth/verify-email', linkRefused));
    renderAt(`/verify-email?token=${TOKEN}`);

    await screen.findByRole('heading', { level: 1, name: 'Your email address was not confirmed' });
    // The page offers it; the site-wide banner stays away from this page instead of repeating it.
    expect(
      await within(screen.getByRole('main')).findByRole('button', { name: 'Resend verification mail' }),
    ).toBeVisible();
    expect(screen.queryByRole('region', { name: 'Confirm your email address' })).not.toBeInTheDocument();
  });

  it('says an address confirmed before is already confirmed (the link opened again), not that it failed', async () => {
    useApi(
      api.post('/api/v1/auth/verify-email', () =>
        json(envelope({ message: 'Email address already verified', alreadyVerified: true })),
      ),
    );
    renderAt(`/verify-email?token=${TOKEN}`);

    const heading = await screen.findByRole('heading', { level: 1, name: 'Your address is already confirmed' });
    expect(heading).toHaveFocus();
    expect(screen.getByText(/nothing more to do/)).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(within(screen.getByRole('main')).getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/sign-in');
  });

  it('offers a signed-in user whose address is already confirmed to continue', async () => {
    rememberSignIn();
    useApi(
      ...signedInApi(ada),
      api.post('/api/v1/auth/verify-email', () =>
        json(envelope({ message: 'Email address already verified', alreadyVerified: true })),
      ),
    );
    renderAt(`/verify-email?token=${TOKEN}`);

    await screen.findByRole('heading', { level: 1, name: 'Your address is already confirmed' });
    expect(within(screen.getByRole('main')).getByRole('link', { name: 'Continue to Atrium' })).toHaveAttribute(
      'href',
      '/',
    );
  });

  it.each([
    ['no token', '/verify-email'],
    ['a token cut short', `/verify-email?token=${TOKEN.slice(0, 30)}`],
    ['a token with characters added', `/verify-email?token=${TOKEN}%3E`],
  ])('says a link with %s is incomplete or damaged, and sends nothing', (_, path) => {
    renderAt(path);

    expect(screen.getByRole('heading', { level: 1, name: 'This link is incomplete or damaged' })).toBeInTheDocument();
    expect(screen.getByText(/Ask for a new one/)).toBeInTheDocument();
    expect(within(screen.getByRole('main')).getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/sign-in');
    expect(callsTo('/api/v1/auth/verify-email')).toBe(0);
  });
});

describe('Forgot-password page', () => {
  it('asks for the address and answers the same whether or not an account uses it', async () => {
    const user = userEvent.setup({ delay: null });
    useApi(
      api.post('/api/v1/auth/forgot-password', () =>
        json(message('If an account uses this address, a reset link is on its way'), 202),
      ),
    );
    renderAt('/forgot-password');

    await user.type(screen.getByRole('textbox', { name: 'Email' }), 'ada@example.com');
    await user.click(screen.getByRole('button', { name: 'Send reset link' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Check your inbox' })).toHaveFocus();
    expect(screen.getByText(/If an account uses/)).toHaveTextContent('If an account uses ada@example.com');
    expect(await bodyOf(requestsTo('/api/v1/auth/forgot-password')[0])).toEqual({ email: 'ada@example.com' });
  });
});

describe('Reset-password page (link from the reset mail)', () => {
  it.each([
    ['no token', '/reset-password'],
    ['a token cut short', '/reset-password?token=abc123'],
    ['a token with characters added', `/reset-password?token=${TOKEN}.`],
    ['a token with characters no link has', `/reset-password?token=${TOKEN.slice(0, 42)}%2B`],
  ])('catches a link with %s before the form: no password to type in vain, a way to a new link', (_, path) => {
    renderAt(path);

    expect(screen.getByRole('heading', { level: 1, name: 'This link is incomplete or damaged' })).toHaveFocus();
    expect(screen.getByText(/Ask for a new one/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Ask for a new reset link' })).toHaveAttribute('href', '/forgot-password');
    expect(screen.queryByLabelText(/New password/)).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Change password' })).not.toBeInTheDocument();
    expect(callsTo('/api/v1/auth/reset-password')).toBe(0);
  });

  it("shows the API's weak-password message on the password field", async () => {
    const user = userEvent.setup({ delay: null });
    const weak =
      'This password is too easy to guess: Add another word or two. A few unrelated words make a strong one.';
    useApi(
      api.post('/api/v1/auth/reset-password', () =>
        json(
          detailedErrorEnvelope('VALIDATION_ERROR', 'The password is too weak', [
            { field: 'password', message: weak, code: 'WEAK_PASSWORD' },
          ]),
          400,
        ),
      ),
    );
    renderAt(`/reset-password?token=${TOKEN}`);

    const password = screen.getByLabelText(/^New password/, { selector: 'input' });
    await user.type(password, 'abcdefgh');
    await user.click(screen.getByRole('button', { name: 'Change password' }));

    expect(await screen.findByText(weak)).toBeInTheDocument();
    expect(password).toHaveAttribute('aria-invalid', 'true');
    expect(password).toHaveAccessibleDescription(expect.stringContaining(weak));
    expect(password).toHaveFocus();
    expect(await bodyOf(requestsTo('/api/v1/auth/reset-password')[0])).toEqual({ token: TOKEN, password: 'abcdefgh' });
  });

  it('confirms the change and leads to sign in', async () => {
    const user = userEvent.setup({ delay: null });
    useApi(api.post('/api/v1/auth/reset-password', () => json(message('Password changed; sign in with the new one'))));
    renderAt(`/reset-password?token=${TOKEN}`);

    await user.type(screen.getByLabelText(/^New password/, { selector: 'input' }), 'quiet lantern amber fjord');
    await user.click(screen.getByRole('button', { name: 'Change password' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Password changed' })).toHaveFocus();
    expect(within(screen.getByRole('main')).getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/sign-in');
  });

  it('offers a new link when the token is used or expired', async () => {
    const user = userEvent.setup({ delay: null });
    useApi(
      api.post('/api/v1/auth/reset-password', () =>
        json(errorEnvelope('BAD_REQUEST', 'This link is invalid, used or expired; ask for a new one', 'req-rp'), 400),
      ),
    );
    renderAt(`/reset-password?token=${TOKEN}`);

    await user.type(screen.getByLabelText(/^New password/, { selector: 'input' }), 'quiet lantern amber fjord');
    await user.click(screen.getByRole('button', { name: 'Change password' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('This link is invalid, used or expired');
    expect(screen.getByRole('link', { name: 'Ask for a new reset link' })).toHaveAttribute('href', '/forgot-password');
  });
});
