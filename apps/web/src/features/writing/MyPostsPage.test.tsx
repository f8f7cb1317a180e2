import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { paths } from '../../app/paths';
import { envelope, errorEnvelope, meOf } from '../../test/api-fixtures';
import { rememberSignIn, signedInApi } from '../../test/auth';
import { api, json, requestsTo, useApi } from '../../test/msw';
import { renderPage } from '../../test/render';
import { MyPostsPage } from './MyPostsPage';
import { listEnvelope, mySummary } from './test-fixtures';
import { WritingGate } from './WritingGate';

const renderMyPosts = (path: string = paths.write.root) => {
  rememberSignIn();
  return renderPage(
    [{ element: <WritingGate />, children: [{ path: paths.write.root, element: <MyPostsPage /> }] }],
    path,
  );
};

const meApi = (permissions?: string[]) =>
  api.get('/api/v1/auth/me', () => json(envelope(meOf(undefined, permissions))));

describe('My posts', () => {
  it('lists the author’s posts of every status with a link to each editor, and a New post button', async () => {
    useApi(
      ...signedInApi(),
      meApi(),
      api.get('/api/v1/me/posts', () =>
        json(
          listEnvelope([
            mySummary(1, { title: 'A draft about tides' }),
            mySummary(2, {
              title: 'Going live soon',
              status: 'scheduled',
              scheduledAt: '2030-01-01T09:00:00.000Z',
            }),
            mySummary(3, { title: 'Out there', status: 'published', publishedAt: '2025-06-01T09:00:00.000Z' }),
          ]),
        ),
      ),
    );
    renderMyPosts();

    expect(await screen.findByRole('heading', { level: 1, name: 'My posts' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'New post' })).toHaveAttribute('href', '/write/new');
    const list = await screen.findByRole('list', { name: 'All posts' });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(3);
    expect(within(items[0]).getByRole('link', { name: 'A draft about tides' })).toHaveAttribute(
      'href',
      `/write/${mySummary(1).id}`,
    );
    expect(within(items[0]).getByText('Draft')).toBeInTheDocument();
    expect(within(items[1]).getByText('Scheduled')).toBeInTheDocument();
    expect(within(items[1]).getByText(/Goes live/)).toBeInTheDocument();
    expect(within(items[2]).getByText('Published')).toBeInTheDocument();
    expect(screen.getByRole('status', { name: '' })).toHaveTextContent('3 posts.');
    expect(new URL(requestsTo('/api/v1/me/posts')[0].url).searchParams.get('status')).toBeNull();
  });

  it('filters by status with the tabs, asking the API for that status, and says when there is none', async () => {
    const user = userEvent.setup({ delay: null });
    useApi(
      ...signedInApi(),
      meApi(),
      api.get('/api/v1/me/posts', ({ request }) =>
        new URL(request.url).searchParams.get('status') === 'archived'
          ? json(listEnvelope([]))
          : json(listEnvelope([mySummary(1)])),
      ),
    );
    const { router } = renderMyPosts();

    await screen.findByRole('list', { name: 'All posts' });
    await user.click(screen.getByRole('tab', { name: 'Archived' }));

    expect(await screen.findByText('You have no archived posts.')).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Archived' })).toHaveAttribute('aria-selected', 'true');
    expect(router.state.location.search).toBe('?status=archived');
    const statuses = requestsTo('/api/v1/me/posts').map((r) => new URL(r.url).searchParams.get('status'));
    expect(statuses).toContain('archived');
  });

  it('turns pages', async () => {
    const user = userEvent.setup({ delay: null });
    useApi(
      ...signedInApi(),
      meApi(),
      api.get('/api/v1/me/posts', ({ request }) => {
        const page = Number(new URL(request.url).searchParams.get('page'));
        return json(
          listEnvelope([mySummary(page === 2 ? 21 : 1)], {
            page,
            totalItems: 21,
            totalPages: 2,
            hasNext: page === 1,
            hasPrev: page === 2,
          }),
        );
      }),
    );
    renderMyPosts();

    expect(await screen.findByText('21 posts, page 1 of 2.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByRole('link', { name: 'Post number 21' })).toBeInTheDocument();
    expect(screen.getByText('21 posts, page 2 of 2.')).toHaveFocus();
  });

  it('shows the error with a retry when the list cannot be loaded', async () => {
    useApi(
      ...signedInApi(),
      meApi(),
      api.get('/api/v1/me/posts', () => json(errorEnvelope('INTERNAL_ERROR', 'Something went wrong', 'req-500'), 500)),
    );
    renderMyPosts();

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Could not load your posts')).toBeInTheDocument();
    expect(within(alert).getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });

  it('tells an account without posts:create that writing is not open to it', async () => {
    useApi(...signedInApi(), meApi(['profile:read', 'posts:read']));
    renderMyPosts();

    expect(
      await screen.findByRole('heading', { level: 1, name: 'Writing is not open to your account' }),
    ).toBeInTheDocument();
    expect(requestsTo('/api/v1/me/posts')).toHaveLength(0);
  });
});
