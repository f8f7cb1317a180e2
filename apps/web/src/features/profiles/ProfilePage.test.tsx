import type { Schema } from '@atrium/api-client';
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

/** A published post of Ada's, as the feed lists it. */
const summary = (n: number): Schema<'PostSummaryDto'> => ({
  id: `0193c5a2-7000-7000-8000-${String(n).padStart(12, '0')}`,
  title: `Post number ${n}`,
  slug: `post-number-${n}`,
  excerpt: `The excerpt of post ${n}.`,
  status: 'published',
  visibility: 'public',
  featured: false,
  publishedAt: '2025-06-14T09:30:00.000Z',
  scheduledAt: null,
  readingTimeMinutes: 4,
  readingLevel: 7.2,
  viewCount: 0,
  commentCount: 0,
  commentsOpen: true,
  author: {
    id: '0193c5a2-9000-7c31-9a55-3f4b2d1e6a71',
    username: 'ada',
    firstName: 'Ada',
    lastName: 'Lovelace',
    avatarUrl: null,
  },
  category: null,
  tags: [],
  createdAt: '2025-06-14T09:00:00.000Z',
  updatedAt: '2025-06-14T09:30:00.000Z',
});

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

  it("links the RSS feed of the member's posts, and names it in the page's head for feed readers", async () => {
    useApi(api.get('/api/v1/profiles/{username}', () => json(envelope(adaProfile))));
    renderProfile('ada');

    const link = await screen.findByRole('link', { name: 'RSS feed of posts by Ada Lovelace' });
    expect(link).toHaveAttribute('href', '/feed.xml?author=ada');
    expect(link).toHaveAttribute('type', 'application/rss+xml');
    const alternates = [...document.head.querySelectorAll('link[rel="alternate"][type="application/rss+xml"]')];
    expect(
      alternates.map((alternate) => [alternate.getAttribute('href'), alternate.getAttribute('title')]),
    ).toContainEqual(['/feed.xml?author=ada', 'Ada Lovelace — newest posts']);
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

  it("lists the member's published posts, newest first, asked for by their username", async () => {
    useApi(
      api.get('/api/v1/profiles/{username}', () => json(envelope(adaProfile))),
      api.get('/api/v1/posts', () =>
        json({
          status: 'success',
          data: [summary(1), summary(2)],
          meta: {
            requestId: 'req-feed-1',
            timestamp: '2025-06-01T12:00:00.000Z',
            cursor: { next: null, hasNext: false },
          },
        }),
      ),
    );
    renderProfile('ada');

    const posts = within(await screen.findByRole('list', { name: 'Posts by Ada Lovelace' }));
    expect(screen.getByRole('heading', { level: 2, name: 'Posts by Ada Lovelace' })).toBeVisible();
    expect(await posts.findByRole('link', { name: 'Post number 1' })).toHaveAttribute('href', '/posts/post-number-1');
    expect(posts.getAllByRole('article')).toHaveLength(2);
    expect(new URL(requestsTo('/api/v1/posts')[0].url).searchParams.get('author')).toBe('ada');
    expect(screen.getByRole('status')).toHaveTextContent('Showing 2 posts — that is all.');
  });

  it('says when the member has published nothing', async () => {
    useApi(
      api.get('/api/v1/profiles/{username}', () => json(envelope(adaProfile))),
      api.get('/api/v1/posts', () =>
        json({
          status: 'success',
          data: [],
          meta: {
            requestId: 'req-feed-1',
            timestamp: '2025-06-01T12:00:00.000Z',
            cursor: { next: null, hasNext: false },
          },
        }),
      ),
    );
    renderProfile('ada');

    expect(await screen.findByText('Ada Lovelace has not published anything yet.')).toBeInTheDocument();
  });
});
