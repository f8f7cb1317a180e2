import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { detailedErrorEnvelope, message } from '../../test/api-fixtures';
import { bodyOf, rememberSignIn, signedInApi } from '../../test/auth';
import { mockApi } from '../../test/fetch-mock';
import { renderApp } from '../../test/render';

describe('Account settings page', () => {
  it('puts a wrong password on the field', async () => {
    const user = userEvent.setup();
    rememberSignIn();
    mockApi({
      ...signedInApi(),
      '/api/v1/me': () => ({
        status: 400,
        body: detailedErrorEnvelope('VALIDATION_ERROR', 'The password is wrong', [
          { field: 'password', message: 'The password is wrong', code: 'WRONG_PASSWORD' },
        ]),
      }),
    });
    const { router } = renderApp('/settings/account');

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
    const user = userEvent.setup();
    rememberSignIn();
    const { requestsTo } = mockApi({
      ...signedInApi(),
      '/api/v1/me': () => ({ status: 200, body: message('Account deleted') }),
    });
    const { router } = renderApp('/settings/account');

    expect(await screen.findByRole('heading', { level: 1, name: 'Account' })).toBeInTheDocument();
    const section = within(screen.getByRole('region', { name: 'Delete account' }));
    expect(section.getByText(/signed out on every device/)).toBeInTheDocument();
    await user.type(section.getByLabelText(/^Password/, { selector: 'input' }), 'correct horse');
    await user.click(section.getByRole('button', { name: 'Delete my account' }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/'));
    expect(await screen.findByText('Your account was deleted. You have been signed out.')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/');
    expect(screen.getByRole('heading', { level: 1, name: 'System status' })).toBeInTheDocument();
    expect(within(screen.getByRole('banner')).getByRole('link', { name: 'Sign in' })).toBeInTheDocument();
    const [request] = requestsTo('/api/v1/me');
    expect(request?.method).toBe('DELETE');
    expect(await bodyOf(request)).toEqual({ password: 'correct horse' });
  });
});
