import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { paths } from '../../app/paths';
import { detailedErrorEnvelope, envelope } from '../../test/api-fixtures';
import { bodyOf } from '../../test/auth';
import { api, callsTo, json, requestsTo, useApi } from '../../test/msw';
import { renderPage } from '../../test/render';
import { SignUpPage } from './SignUpPage';

const renderSignUp = () => renderPage([{ path: paths.signUp, element: <SignUpPage /> }], paths.signUp);

const WEAK =
  'This password is too easy to guess: This is a commonly used password. A few unrelated words make a strong one.';

/** Password inputs have no textbox role; the label also holds the required-field asterisk. */
const passwordField = () => screen.getByLabelText(/^Password/, { selector: 'input' });

async function fillIn(user: ReturnType<typeof userEvent.setup>, email: string, username: string, password: string) {
  await user.type(screen.getByRole('textbox', { name: 'Email' }), email);
  await user.type(screen.getByRole('textbox', { name: 'Username' }), username);
  await user.type(passwordField(), password);
  await user.click(screen.getByRole('button', { name: 'Create account' }));
}

describe('Sign-up page', () => {
  it("shows the API's field errors next to their fields and moves focus to the first one", async () => {
    const user = userEvent.setup({ delay: null });
    useApi(
      api.post('/api/v1/auth/register', () =>
        json(
          detailedErrorEnvelope('VALIDATION_ERROR', 'The password is too weak', [
            { field: 'username', message: 'username must be 3–64 letters, digits, "_", "." or "-"', code: 'MATCHES' },
            { field: 'password', message: WEAK, code: 'WEAK_PASSWORD' },
          ]),
          400,
        ),
      ),
    );
    renderSignUp();

    await fillIn(user, 'ada@example.com', 'ada', 'password123');

    const password = passwordField();
    await waitFor(() => expect(password).toHaveAttribute('aria-invalid', 'true'));
    expect(password).toHaveAccessibleDescription(expect.stringContaining(WEAK));
    const username = screen.getByRole('textbox', { name: 'Username' });
    expect(username).toHaveAttribute('aria-invalid', 'true');
    expect(username).toHaveAccessibleDescription(
      expect.stringContaining('Username must be 3–64 letters, digits, "_", "." or "-".'),
    );
    expect(username).toHaveFocus();
    expect(screen.getByRole('textbox', { name: 'Email' })).not.toHaveAttribute('aria-invalid');
    // Every problem sits on its field: no form-level alert repeats them.
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();

    // Typing a new password clears its message.
    await user.type(password, '!');
    expect(password).not.toHaveAttribute('aria-invalid');
  });

  it('says which identifier is taken when the API answers 409', async () => {
    const user = userEvent.setup({ delay: null });
    useApi(
      api.post('/api/v1/auth/register', () =>
        json(
          detailedErrorEnvelope('CONFLICT', 'This email is already registered', [
            { field: 'email', message: 'This email is already registered', code: 'TAKEN' },
          ]),
          409,
        ),
      ),
    );
    renderSignUp();

    await fillIn(user, 'ada@example.com', 'ada', 'quiet lantern amber fjord');

    const email = screen.getByRole('textbox', { name: 'Email' });
    await waitFor(() => expect(email).toHaveAccessibleDescription('This email is already registered.'));
    expect(email).toHaveFocus();
  });

  it('checks empty and malformed fields before sending anything', async () => {
    const user = userEvent.setup({ delay: null });
    renderSignUp();

    await user.type(screen.getByRole('textbox', { name: 'Email' }), 'ada.example.com');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    expect(screen.getByRole('textbox', { name: 'Email' })).toHaveAccessibleDescription(
      'Enter an email address like ada@example.com.',
    );
    expect(screen.getByRole('textbox', { name: 'Email' })).toHaveFocus();
    expect(screen.getByRole('textbox', { name: 'Username' })).toHaveAccessibleDescription(
      expect.stringContaining('Choose a username.'),
    );
    expect(passwordField()).toHaveAccessibleDescription(expect.stringContaining('Enter a password.'));
    expect(callsTo('/api/v1/auth/register')).toBe(0);
  });

  it('sends the account and then asks to confirm the address from the inbox', async () => {
    const user = userEvent.setup({ delay: null });
    useApi(api.post('/api/v1/auth/register', () => json(envelope({ message: 'Check your inbox' }), 202)));
    renderSignUp();

    await fillIn(user, ' ada@example.com ', 'ada', 'quiet lantern amber fjord');

    const heading = await screen.findByRole('heading', { level: 1, name: 'Check your inbox' });
    expect(heading).toHaveFocus();
    expect(screen.getByText('ada@example.com')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to sign in' })).toHaveAttribute('href', '/sign-in');
    expect(await bodyOf(requestsTo('/api/v1/auth/register')[0])).toEqual({
      email: 'ada@example.com',
      username: 'ada',
      password: 'quiet lantern amber fjord',
    });
    // Signing up does not sign in.
    expect(within(screen.getByRole('banner')).getByRole('link', { name: 'Sign in' })).toBeInTheDocument();
  });
});
