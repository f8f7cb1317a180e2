import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { paths } from '../../app/paths';
import { ada, envelope, meOf } from '../../test/api-fixtures';
import { bodyOf, rememberSignIn, signedInApi } from '../../test/auth';
import { api, json, requestsTo, useApi } from '../../test/msw';
import { renderPage } from '../../test/render';
import type { QueuedComment } from './api/comments.api';
import { ModerationPage } from './ModerationPage';
import { adaAuthor, commentId, lin, queuedComment, queueEnvelope, tidesPost } from './test-fixtures';

const renderModeration = () => renderPage([{ path: paths.moderation, element: <ModerationPage /> }], paths.moderation);

/** Signed in as ada with these permissions. */
const signedInWith = (permissions: string[]) => {
  rememberSignIn();
  return [...signedInApi(), api.get('/api/v1/auth/me', () => json(envelope(meOf(ada, permissions))))];
};
const moderator = () => signedInWith(['posts:read', 'comments:read', 'comments:moderate']);

/** The queue as the API holds it: moderation takes comments out of it. */
function queueApi(initial: QueuedComment[]) {
  let pending = [...initial];
  return [
    api.get('/api/v1/comments', () => json(queueEnvelope(pending))),
    api.post('/api/v1/comments/{id}/approve', ({ params }) => {
      const comment = pending.find((c) => c.id === params.id)!;
      pending = pending.filter((c) => c.id !== params.id);
      const { postTitle: _title, postSlug: _slug, ...rest } = comment;
      return json(envelope({ ...rest, status: 'approved' as const }));
    }),
    api.post('/api/v1/comments/moderate', async ({ request }) => {
      const { ids } = (await request.json()) as { ids: string[] };
      pending = pending.filter((c) => !ids.includes(c.id));
      return json(envelope({ changed: ids.length, missing: [] }));
    }),
  ];
}

const table = () => screen.findByRole('table', { name: 'Comments waiting for moderation' });

describe('The moderation page', () => {
  it('lists the comments waiting, with the post, the author and the date', async () => {
    useApi(
      ...moderator(),
      ...queueApi([
        queuedComment(1, { html: '<p>Is the <em>ferry</em> running?</p>' }),
        queuedComment(2, { author: lin }),
      ]),
    );
    renderModeration();

    expect(screen.getByRole('heading', { level: 1, name: 'Moderation' })).toBeInTheDocument();
    const rows = within(await table()).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(within(rows[1]).getByText('ferry').tagName).toBe('EM');
    expect(within(rows[1]).getAllByRole('link', { name: tidesPost.title })[0]).toHaveAttribute(
      'href',
      `/posts/${tidesPost.slug}`,
    );
    expect(within(rows[1]).getAllByRole('link', { name: 'grace' })[0]).toHaveAttribute('href', '/u/grace');
    expect(within(rows[2]).getAllByRole('link', { name: 'lin' })[0]).toHaveAttribute('href', '/u/lin');
    expect(screen.getByText('2 comments waiting, oldest first.')).toBeInTheDocument();
    expect(requestsTo('/api/v1/comments')[0].url).toContain('status=pending');
  });

  it('approves one comment: it leaves the queue, and the moderator is told', async () => {
    const user = userEvent.setup({ delay: null });
    useApi(...moderator(), ...queueApi([queuedComment(1), queuedComment(2, { author: lin })]));
    renderModeration();

    await table();
    await user.click(screen.getByRole('button', { name: 'Approve the comment by grace' }));

    expect(await screen.findByText('The comment by grace was approved.')).toBeInTheDocument();
    expect(requestsTo(`/api/v1/comments/${commentId(1)}/approve`)).toHaveLength(1);
    await waitFor(() => expect(within(screen.getByRole('table')).getAllByRole('row')).toHaveLength(2));
    expect(screen.getByText('1 comment waiting, oldest first.')).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 2, name: 'Waiting for moderation' })).toHaveFocus();
  });

  it('approves the selected comments in one request, and then nothing waits', async () => {
    const user = userEvent.setup({ delay: null });
    useApi(
      ...moderator(),
      ...queueApi([queuedComment(1), queuedComment(2, { author: lin }), queuedComment(3, { author: adaAuthor })]),
    );
    renderModeration();

    await table();
    const approveSelected = screen.getByRole('button', { name: 'Approve selected (0)' });
    expect(approveSelected).toBeDisabled();
    await user.click(screen.getByRole('checkbox', { name: `Select the comment by grace on “${tidesPost.title}”` }));
    await user.click(screen.getByRole('checkbox', { name: `Select the comment by lin on “${tidesPost.title}”` }));
    await user.click(screen.getByRole('button', { name: 'Approve selected (2)' }));

    expect(await screen.findByText('2 comments approved.')).toBeInTheDocument();
    expect(await bodyOf(requestsTo('/api/v1/comments/moderate')[0])).toEqual({
      ids: [commentId(1), commentId(2)],
      action: 'approve',
    });
    await waitFor(() => expect(within(screen.getByRole('table')).getAllByRole('row')).toHaveLength(2));
    expect(screen.getByRole('button', { name: 'Approve selected (0)' })).toBeDisabled();

    // Select all on the page, then reject: the queue is empty.
    await user.click(screen.getByRole('checkbox', { name: 'Select every comment on this page' }));
    await user.click(screen.getByRole('button', { name: 'Reject selected (1)' }));
    expect(await screen.findByText('1 comment rejected.')).toBeInTheDocument();
    expect(await bodyOf(requestsTo('/api/v1/comments/moderate')[1])).toEqual({ ids: [commentId(3)], action: 'reject' });
    expect(await screen.findByText('The queue is empty.')).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('says when nothing waits, without repeating the heading above it', async () => {
    useApi(...moderator(), ...queueApi([]));
    renderModeration();

    expect(await screen.findByText('The queue is empty.')).toBeInTheDocument();
    const queue = screen.getByRole('region', { name: 'Waiting for moderation' });
    expect(within(queue).queryByText(/waits for moderation/i)).not.toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /selected/ })).not.toBeInTheDocument();
  });

  it('tells a member without the permission that the page is not for them, asking the API nothing', async () => {
    useApi(...signedInWith(['posts:read', 'comments:read', 'comments:create']), ...queueApi([queuedComment(1)]));
    renderModeration();

    expect(await screen.findByText(/Your account cannot moderate comments/)).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(requestsTo('/api/v1/comments')).toHaveLength(0);
  });
});
