import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { paths } from '../../app/paths';
import { ada, detailedErrorEnvelope, envelope, message } from '../../test/api-fixtures';
import { bodyOf, rememberSignIn, signedInApi } from '../../test/auth';
import { api, callsTo, json, requestsTo, useApi } from '../../test/msw';
import { renderPage } from '../../test/render';
import { RequireAuth } from '../auth';
import { AccountSettingsPage } from './AccountSettingsPage';

const renderAccountPage = () =>
  renderPage(
    [{ element: <RequireAuth />, children: [{ path: paths.settings.account, element: <AccountSettingsPage /> }] }],
    paths.settings.account,
  );

describe('Account settings page', () => {
  it('puts a wrong password on the field', async () => {
    const user = userEvent.setup({ delay: null });
    rememberSignIn();
    useApi(
      ...signedInApi(),
      api.delete('/api/v1/me', () =>
        json(
          detailedErrorEnvelope('VALIDATION_ERROR', 'The password is wrong', [
            { field: 'password', message: 'The password is wrong', code: 'WRONG_PASSWORD' },
          ]),
          400,
        ),
      ),
    );
    const { router } = renderAccountPage();

    const section = within(await screen.findByRole('region', { name: 'Delete account' }));
    const password = section.getByLabelText(/^Password/, { selector: 'input' });
    await user.type(password, 'not my password');
    await user.click(section.getByRole('button', { name: 'Delete my account' }));

    expect(await section.findByText('The password is wrong.')).toBeInTheDocument();
    expect(password).toHaveAttribute('aria-invalid', 'true');
    expect(password).toHaveFocus();
    expect(router.state.location.pathname).toBe('/settings/account');
  });

  it('deletes the account, signs out here and says so on the home page', async () => {
    const user = userEvent.setup({ delay: null });
    rememberSignIn();
    useApi(
      ...signedInApi(),
      api.delete('/api/v1/me', () => json(message('Account deleted'))),
    );
    const { router } = renderAccountPage();

    expect(await screen.findByRole('heading', { level: 1, name: 'Account' })).toBeInTheDocument();
    const section = within(screen.getByRole('region', { name: 'Delete account' }));
    expect(section.getByText(/signed out on every device/)).toBeInTheDocument();
    await user.type(section.getByLabelText(/^Password/, { selector: 'input' }), 'correct horse');
    await user.click(section.getByRole('button', { name: 'Delete my account' }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/'));
    // The confirmation is a toast: it outlives the settings page it came from.
    expect(await screen.findByText('Your account was deleted. You have been signed out.')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/');
    expect(await screen.findByRole('heading', { level: 1, name: 'Elsewhere: /' })).toBeInTheDocument();
    // Signed out here once the settings are gone.
    expect(await within(screen.getByRole('banner')).findByRole('link', { name: 'Sign in' })).toBeInTheDocument();
    const [request] = requestsTo('/api/v1/me');
    expect(request?.method).toBe('DELETE');
    expect(await bodyOf(request)).toEqual({ password: 'correct horse' });
  });

  it('asks to move the account to a new address and says to check the new inbox', async () => {
    const user = userEvent.setup({ delay: null });
    rememberSignIn();
    useApi(
      ...signedInApi(),
      api.post('/api/v1/me/email', () =>
        json(message('Check the inbox of the new address: we sent a link to confirm it'), 202),
      ),
    );
    renderAccountPage();

    const section = within(await screen.findByRole('region', { name: 'Email address' }));
    expect(section.getByText('ada@example.com')).toBeInTheDocument();
    await user.type(section.getByLabelText(/^New email address/), 'ada@example.org');
    await user.type(section.getByLabelText(/^Current password/, { selector: 'input' }), 'correct horse');
    await user.click(section.getByRole('button', { name: 'Send confirmation link' }));

    expect(await section.findByText(/Check your new inbox: we sent a link to ada@example\.org/)).toBeInTheDocument();
    const [request] = requestsTo('/api/v1/me/email');
    expect(await bodyOf(request)).toEqual({ email: 'ada@example.org', password: 'correct horse' });
  });

  it('puts a wrong password for the email change on its field', async () => {
    const user = userEvent.setup({ delay: null });
    rememberSignIn();
    useApi(
      ...signedInApi(),
      api.post('/api/v1/me/email', () =>
        json(
          detailedErrorEnvelope('VALIDATION_ERROR', 'The password is wrong', [
            { field: 'password', message: 'The password is wrong', code: 'WRONG_PASSWORD' },
          ]),
          400,
        ),
      ),
    );
    renderAccountPage();

    const section = within(await screen.findByRole('region', { name: 'Email address' }));
    const password = section.getByLabelText(/^Current password/, { selector: 'input' });
    await user.type(section.getByLabelText(/^New email address/), 'ada@example.org');
    await user.type(password, 'not my password');
    await user.click(section.getByRole('button', { name: 'Send confirmation link' }));

    expect(await section.findByText('The password is wrong.')).toBeInTheDocument();
    expect(password).toHaveAttribute('aria-invalid', 'true');
  });

  it('changes the username, shows the rule and the 30-day note, and puts a taken name on the field', async () => {
    const user = userEvent.setup({ delay: null });
    rememberSignIn();
    let taken = true;
    useApi(
      ...signedInApi(),
      api.get('/api/v1/auth/me', () =>
        json(envelope({ ...ada, username: 'countess', roles: ['user'], permissions: [] })),
      ),
      api.put('/api/v1/me/username', () =>
        taken
          ? json(
              detailedErrorEnvelope('CONFLICT', 'This username is already registered', [
                { field: 'username', message: 'This username is already registered', code: 'TAKEN' },
              ]),
              409,
            )
          : json(envelope({ ...ada, username: 'countess' })),
      ),
    );
    renderAccountPage();

    const section = within(await screen.findByRole('region', { name: 'Username' }));
    expect(section.getByText(/reserved for you for 30 days/)).toBeInTheDocument();
    const field = section.getByLabelText(/^New username/);
    await user.type(field, 'no spaces');
    await user.click(section.getByRole('button', { name: 'Change username' }));
    expect(await section.findByText(/Use 3 to 64 letters/)).toBeInTheDocument();
    expect(callsTo('/api/v1/me/username')).toBe(0);

    await user.clear(field);
    await user.type(field, 'grace');
    await user.click(section.getByRole('button', { name: 'Change username' }));
    expect(await section.findByText('This username is already registered.')).toBeInTheDocument();
    expect(field).toHaveAttribute('aria-invalid', 'true');

    taken = false;
    await user.clear(field);
    await user.type(field, 'countess');
    await user.click(section.getByRole('button', { name: 'Change username' }));
    expect(await screen.findByText('Your username is now countess.')).toBeInTheDocument();
    expect(await bodyOf(requestsTo('/api/v1/me/username').at(-1))).toEqual({ username: 'countess' });
  });
});
