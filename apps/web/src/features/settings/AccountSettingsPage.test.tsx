import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { paths } from '../../app/paths';
import { detailedErrorEnvelope, message } from '../../test/api-fixtures';
import { bodyOf, rememberSignIn, signedInApi } from '../../test/auth';
import { api, json, requestsTo, useApi } from '../../test/msw';
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
});
