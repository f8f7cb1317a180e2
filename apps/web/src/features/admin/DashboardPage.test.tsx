import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { paths } from '../../app/paths';
import { envelope, errorEnvelope } from '../../test/api-fixtures';
import { api, json } from '../../test/msw';
import { renderAdmin, statsOf } from './test-fixtures';

const statsApi = api.get('/api/v1/admin/stats', () => json(envelope(statsOf())));

describe('Admin dashboard', () => {
  it('shows the figures and a chart per series, each with a summary in words and its numbers in a table', async () => {
    const user = userEvent.setup({ delay: null });
    renderAdmin(paths.admin.root, {}, statsApi);

    expect(await screen.findByRole('heading', { level: 1, name: 'Dashboard' })).toBeInTheDocument();
    const figures = await screen.findByText('Active sessions');
    expect(figures.nextElementSibling).toHaveTextContent('7');
    expect(screen.getByText('Comments awaiting moderation').nextElementSibling).toHaveTextContent('5');
    expect(screen.getByRole('link', { name: 'Moderate them' })).toHaveAttribute('href', '/moderation');

    const signUps = screen.getByRole('region', { name: 'Sign-ups per day' });
    // 10 days with one sign-up, one day with six: 16 in all, the most on 12 May.
    expect(within(signUps).getByText(/^16 sign-ups in the last 30 days, most on/)).toHaveTextContent('(6)');
    const published = screen.getByRole('region', { name: 'Posts published per day' });
    expect(within(published).getByText(/^2 posts published in the last 30 days/)).toBeInTheDocument();
    const byStatus = screen.getByRole('region', { name: 'Posts by status' });
    expect(within(byStatus).getByText('Published: 12, Scheduled: 1, Draft: 3, Archived: 2.')).toBeInTheDocument();
    const signIns = screen.getByRole('region', { name: 'Sign-ins per day' });
    expect(
      within(signIns).getByText('60 successful sign-ins and 3 failed sign-ins in the last 30 days.'),
    ).toBeInTheDocument();

    // The numbers behind a chart.
    await user.click(within(byStatus).getByText('Show the figures'));
    const table = within(byStatus).getByRole('table', { name: 'Posts by status' });
    expect(within(table).getByRole('row', { name: 'Draft 3' })).toBeInTheDocument();

    const top = screen.getByRole('region', { name: 'Most read posts' });
    expect(within(top).getByRole('link', { name: 'Tides of Orkney' })).toHaveAttribute('href', '/posts/tides');
    expect(document.title).toBe('Dashboard · Administration · Atrium');
  });

  it('offers no table of figures under a chart with nothing to show (no post read yet)', async () => {
    const unread = statsOf();
    unread.content.topPosts = unread.content.topPosts.map((post) => ({ ...post, viewCount: 0 }));
    renderAdmin(
      paths.admin.root,
      {},
      api.get('/api/v1/admin/stats', () => json(envelope(unread))),
    );

    const top = await screen.findByRole('region', { name: 'Most read posts' });
    expect(within(top).getByText('No post has been read yet.', { selector: 'p' })).toBeInTheDocument();
    expect(within(top).queryByText('Show the figures')).not.toBeInTheDocument();
    // The other charts keep theirs.
    expect(within(screen.getByRole('region', { name: 'Users by role' })).getByText('Show the figures')).toBeVisible();
  });

  it('says what failed, and tries again', async () => {
    const user = userEvent.setup({ delay: null });
    let calls = 0;
    renderAdmin(
      paths.admin.root,
      {},
      api.get('/api/v1/admin/stats', () => {
        calls += 1;
        return calls === 1
          ? json(errorEnvelope('SERVICE_UNAVAILABLE', 'The database is briefly unavailable.', 'req-s-1'), 503)
          : json(envelope(statsOf()));
      }),
    );

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load the figures');
    expect(alert).toHaveTextContent('The database is briefly unavailable.');
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('region', { name: 'Sign-ups per day' })).toBeInTheDocument();
  });
});

describe('Admin dashboard refused by the API', () => {
  it('says the page is not open to the account, with no Retry that would fail the same way', async () => {
    renderAdmin(
      paths.admin.root,
      {},
      api.get('/api/v1/admin/stats', () =>
        json(errorEnvelope('FORBIDDEN', 'You lack the permission stats:read.', 'req-s-2'), 403),
      ),
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Not open to your account');
    expect(alert).toHaveTextContent('You lack the permission stats:read.');
    expect(within(alert).queryByRole('button', { name: 'Retry' })).not.toBeInTheDocument();
  });
});

describe('Admin navigation and permission gate', () => {
  it('lists only the pages the user may open, and refuses a page without its permission', async () => {
    renderAdmin(paths.admin.audit, { permissions: ['users:read', 'queues:read'], roles: ['support'] });

    expect(await screen.findByRole('heading', { level: 1, name: 'You cannot open this page' })).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'Administration' });
    expect(
      within(nav)
        .getAllByRole('link')
        .map((link) => link.textContent),
    ).toEqual(['Users', 'Queues']);
    expect(screen.queryByRole('heading', { name: 'Audit log' })).not.toBeInTheDocument();
  });
});
