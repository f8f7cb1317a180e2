import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { paths } from '../../app/paths';
import { ada, detailedErrorEnvelope, envelope, message } from '../../test/api-fixtures';
import { bodyOf, rememberSignIn, signedInApi } from '../../test/auth';
import { api, json, requestsTo, useApi } from '../../test/msw';
import { renderPage } from '../../test/render';
import { RequireAuth } from '../auth';
import { ProfileSettingsPage } from './ProfileSettingsPage';

const renderProfilePage = () =>
  renderPage(
    [{ element: <RequireAuth />, children: [{ path: paths.settings.profile, element: <ProfileSettingsPage /> }] }],
    paths.settings.profile,
  );

const section = (name: string) => within(screen.getByRole('region', { name }));

describe('Profile settings page', () => {
  it('saves first name, last name and bio with PATCH /me', async () => {
    const user = userEvent.setup({ delay: null });
    rememberSignIn();
    useApi(
      ...signedInApi(),
      api.patch('/api/v1/me', () => json(envelope({ ...ada, firstName: 'Augusta Ada', bio: 'Poetical science.' }))),
    );
    renderProfilePage();

    expect(await screen.findByRole('heading', { level: 1, name: 'Profile' })).toBeInTheDocument();
    expect(section('Account').getByText('ada@example.com')).toBeInTheDocument();
    const profile = section('Public profile');
    const firstName = profile.getByRole('textbox', { name: 'First name' });
    expect(firstName).toHaveValue('Ada');
    await user.clear(firstName);
    await user.type(firstName, 'Augusta Ada');
    await user.type(profile.getByRole('textbox', { name: 'Bio' }), 'Poetical science.');
    await user.click(profile.getByRole('button', { name: 'Save profile' }));

    expect(await screen.findByText('Profile saved.')).toBeInTheDocument();
    const [patch] = requestsTo('/api/v1/me');
    expect(patch?.method).toBe('PATCH');
    expect(await bodyOf(patch)).toEqual({ firstName: 'Augusta Ada', lastName: 'Lovelace', bio: 'Poetical science.' });
  });

  it('puts a wrong current password and a weak new one on their fields', async () => {
    const user = userEvent.setup({ delay: null });
    rememberSignIn();
    let answer = detailedErrorEnvelope('VALIDATION_ERROR', 'The current password is wrong', [
      { field: 'currentPassword', message: 'The current password is wrong', code: 'WRONG_PASSWORD' },
    ]);
    useApi(
      ...signedInApi(),
      api.post('/api/v1/auth/change-password', () => json(answer, 400)),
    );
    renderProfilePage();

    const passwordSection = await screen.findByRole('region', { name: 'Password' });
    const current = within(passwordSection).getByLabelText(/^Current password/, { selector: 'input' });
    const next = within(passwordSection).getByLabelText(/^New password/, { selector: 'input' });
    await user.type(current, 'not it at all');
    await user.type(next, 'abcdefgh');
    await user.click(within(passwordSection).getByRole('button', { name: 'Change password' }));

    expect(await within(passwordSection).findByText('The current password is wrong.')).toBeInTheDocument();
    expect(current).toHaveAttribute('aria-invalid', 'true');
    expect(current).toHaveFocus();

    answer = detailedErrorEnvelope('VALIDATION_ERROR', 'The password is too weak', [
      { field: 'password', message: 'This password is too easy to guess.', code: 'WEAK_PASSWORD' },
    ]);
    await user.click(within(passwordSection).getByRole('button', { name: 'Change password' }));

    expect(await within(passwordSection).findByText('This password is too easy to guess.')).toBeInTheDocument();
    expect(next).toHaveAttribute('aria-invalid', 'true');
    expect(next).toHaveFocus();
  });

  it('changes the password and says the other devices were signed out', async () => {
    const user = userEvent.setup({ delay: null });
    rememberSignIn();
    useApi(
      ...signedInApi(),
      api.post('/api/v1/auth/change-password', () =>
        json(message('Password changed; your other sessions were signed out')),
      ),
    );
    renderProfilePage();

    const passwordSection = await screen.findByRole('region', { name: 'Password' });
    await user.type(
      within(passwordSection).getByLabelText(/^Current password/, { selector: 'input' }),
      'old words here',
    );
    await user.type(
      within(passwordSection).getByLabelText(/^New password/, { selector: 'input' }),
      'quiet lantern amber fjord',
    );
    await user.click(within(passwordSection).getByRole('button', { name: 'Change password' }));

    expect(await screen.findByText('Password changed. Your other devices were signed out.')).toBeInTheDocument();
    expect(within(passwordSection).getByLabelText(/^New password/, { selector: 'input' })).toHaveValue('');
  });
});
