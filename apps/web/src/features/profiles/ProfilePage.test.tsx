import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { paths, profilePath } from '../../app/paths';
import { envelope, errorEnvelope } from '../../test/api-fixtures';
import { api, json, requestsTo, useApi } from '../../test/msw';
import { renderPage } from '../../test/render';
import type { PublicProfile } from './api/profiles.api';
import { ProfilePage } from './ProfilePage';

const adaProfile: PublicProfile = {
  username: 'ada',
  firstName: 'Ada',
  lastName: 'Lovelace',
  bio: 'Notes on the Analytical Engine.\nPoetical science.',
  avatarUrl: '/api/v1/avatars/3f2a9c4d5e6f708192a3b4c5d6e7f809',
  memberSince: '2025-05-14T08:00:00.000Z',
};

const renderProfile = (username: string) =>
  renderPage([{ path: paths.profile, element: <ProfilePage /> }], profilePath(username));

describe('Public profile page', () => {
  it("shows the member's avatar, name, username, bio and since when they are a member", async () => {
    useApi(api.get('/api/v1/profiles/{username}', () => json(envelope(adaProfile))));
    renderProfile('ada');

    expect(await screen.findByRole('heading', { level: 1, name: 'Ada Lovelace' })).toBeInTheDocument();
    const article = within(screen.getByRole('article', { name: 'Ada Lovelace' }));
    expect(article.getByText('@ada')).toBeInTheDocument();
    expect(article.getByText(/Notes on the Analytical Engine\./)).toBeInTheDocument();
    expect(article.getByText('Member since May 2025')).toBeInTheDocument();
    // The named avatar shows the picture (an <img> inside it).
    expect(article.getByRole('img', { name: 'Avatar of Ada Lovelace' }).querySelector('img')?.getAttribute('src')).toBe(
      adaProfile.avatarUrl,
    );
    expect(document.title).toBe('Ada Lovelace (@ada) · Atrium');
  });

  it('uses the username without a name, and says when there is no bio', async () => {
    useApi(
      api.get('/api/v1/profiles/{username}', ({ params }) =>
        json(
          envelope({
            ...adaProfile,
            username: params.username,
            firstName: null,
            lastName: null,
            bio: null,
            avatarUrl: null,
          }),
        ),
      ),
    );
    renderProfile('babbage');

    expect(await screen.findByRole('heading', { level: 1, name: 'babbage' })).toBeInTheDocument();
    expect(screen.getByText('No bio yet.')).toBeInTheDocument();
    expect(screen.queryByRole('img', { name: /Avatar of/ })).not.toBeInTheDocument();
    expect(requestsTo('/api/v1/profiles/babbage')).toHaveLength(1);
  });

  it('says the profile does not exist when the API answers NOT_FOUND', async () => {
    useApi(
      api.get('/api/v1/profiles/{username}', () =>
        json(errorEnvelope('NOT_FOUND', 'No such profile', 'req-profile-1'), 404),
      ),
    );
    renderProfile('nobody');

    expect(await screen.findByRole('heading', { level: 1, name: 'Profile not found' })).toBeInTheDocument();
    expect(screen.getByText('@nobody')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to the home page' })).toHaveAttribute('href', paths.home);
  });

  it('offers a retry when the profile cannot be loaded, and shows it then', async () => {
    const user = userEvent.setup({ delay: null });
    let fail = true;
    useApi(
      api.get('/api/v1/profiles/{username}', () =>
        fail
          ? json(errorEnvelope('SERVICE_UNAVAILABLE', 'The database is unavailable', 'req-profile-2'), 503)
          : json(envelope(adaProfile)),
      ),
    );
    renderProfile('ada');

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Could not load this profile')).toBeInTheDocument();
    fail = false;
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Ada Lovelace' })).toBeInTheDocument();
  });
});
