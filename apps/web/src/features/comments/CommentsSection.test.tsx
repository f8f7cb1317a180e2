import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { paths, postPath } from '../../app/paths';
import { ada, detailedErrorEnvelope, envelope, meOf } from '../../test/api-fixtures';
import { bodyOf, rememberSignIn, signedInApi } from '../../test/auth';
import { api, json, requestsTo, useApi } from '../../test/msw';
import { renderPage } from '../../test/render';
import type { CommentNode } from './api/comments.api';
import { CommentsSection, type CommentedPost } from './components/CommentsSection';
import {
  adaAuthor,
  commentId,
  commentNode,
  grace,
  lin,
  threadsEnvelope,
  tidesPost,
  writtenComment,
} from './test-fixtures';

const threadsPath = `/api/v1/posts/${tidesPost.id}/comments`;

/** The section as the post's page renders it, under the post at its address. */
const renderPost = (post: CommentedPost = tidesPost) =>
  renderPage([{ path: paths.post, element: <CommentsSection post={post} /> }], postPath(tidesPost.slug));

/** Answers the threads from `threads()` each time (so a test can change what the API holds). */
const threadsApi = (threads: () => CommentNode[]) =>
  api.get('/api/v1/posts/{id}/comments', () => json(threadsEnvelope(threads())));

/** Signed in as ada, who may comment. */
const signedInAsAda = () => {
  rememberSignIn();
  return [
    ...signedInApi(),
    api.get('/api/v1/auth/me', () =>
      json(envelope(meOf(ada, ['posts:read', 'comments:read', 'comments:create', 'profile:read']))),
    ),
  ];
};

const section = async () => within(await screen.findByRole('region', { name: 'Comments' }));
const comment = (name: string) => screen.findByRole('article', { name });

describe('Comments under a post', () => {
  it('shows the threads with their replies nested, authors linked, edited and deleted ones marked', async () => {
    useApi(
      threadsApi(() => [
        commentNode(1, {
          html: '<p>The tables were <strong>exactly</strong> right.</p>',
          editedAt: '2025-06-15T10:05:00.000Z',
          replies: [
            commentNode(2, {
              parentId: commentId(1),
              depth: 1,
              author: adaAuthor,
              replies: [
                commentNode(3, {
                  parentId: commentId(2),
                  depth: 2,
                  deleted: true,
                  body: null,
                  html: null,
                  author: null,
                  replies: [commentNode(4, { parentId: commentId(3), depth: 3, author: lin })],
                }),
              ],
            }),
          ],
        }),
      ]),
    );
    renderPost({ ...tidesPost, commentCount: 3 });

    const comments = await section();
    expect(comments.getByRole('heading', { level: 2, name: 'Comments' })).toBeInTheDocument();
    expect(comments.getByText('3 comments')).toBeInTheDocument();
    const first = await comment('Comment by grace');
    expect(within(first).getByText('exactly').tagName).toBe('STRONG');
    expect(within(first).getByRole('link', { name: 'grace' })).toHaveAttribute('href', '/u/grace');
    expect(within(first).getByText('edited')).toBeInTheDocument();
    // When it was written, and when edited (said to screen readers after "edited").
    expect(
      within(first)
        .getAllByText(/2025/, { selector: 'time' })
        .map((time) => time.getAttribute('datetime')),
    ).toEqual(['2025-06-15T10:00:00.000Z', '2025-06-15T10:05:00.000Z']);
    // The reply sits in a list of its own inside the first comment's item; the deleted one keeps its place.
    const replies = comments.getByRole('list', { name: 'Replies to grace' });
    expect(within(replies).getByRole('article', { name: 'Comment by ada' })).toBeInTheDocument();
    const deeper = within(replies).getByRole('list', { name: 'Replies to ada' });
    expect(within(deeper).getByRole('article', { name: 'Deleted comment' })).toHaveTextContent(
      'This comment was deleted.',
    );
    expect(within(deeper).getByText('Comment number 4.')).toBeInTheDocument();
    // A visitor is asked to sign in, coming back to the post; nobody may reply.
    expect(comments.getByRole('link', { name: 'Sign in to comment' })).toHaveAttribute(
      'href',
      `/sign-in?returnTo=${encodeURIComponent(postPath(tidesPost.slug))}`,
    );
    expect(comments.queryByRole('button', { name: /Reply/ })).not.toBeInTheDocument();
    expect(comments.queryByRole('textbox')).not.toBeInTheDocument();
  });

  it('loads more threads with the cursor of the page before', async () => {
    const user = userEvent.setup({ delay: null });
    useApi(
      api.get('/api/v1/posts/{id}/comments', ({ request }) => {
        const cursor = new URL(request.url).searchParams.get('cursor');
        return cursor === 'page-2'
          ? json(threadsEnvelope([commentNode(3)]))
          : json(threadsEnvelope([commentNode(1), commentNode(2)], 'page-2'));
      }),
    );
    renderPost();

    await screen.findByText('Comment number 2.');
    expect(screen.queryByText('Comment number 3.')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Load more threads' }));

    expect(await screen.findByText('Comment number 3.')).toBeInTheDocument();
    expect(screen.getByText('Showing 3 threads (1 more loaded) — that is all.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Load more threads' })).not.toBeInTheDocument();
    expect(requestsTo(threadsPath).map((r) => new URL(r.url).searchParams.get('cursor'))).toEqual([null, 'page-2']);
  });

  it('lets a reader reply to a comment; the reply shows under it', async () => {
    const user = userEvent.setup({ delay: null });
    const reply = commentNode(9, {
      parentId: commentId(1),
      depth: 1,
      author: adaAuthor,
      body: 'Agreed.',
      html: '<p>Agreed.</p>',
    });
    let replied = false;
    useApi(
      ...signedInAsAda(),
      threadsApi(() => [commentNode(1, { replies: replied ? [reply] : [] })]),
      api.post('/api/v1/posts/{id}/comments', () => {
        replied = true;
        return json(envelope(writtenComment(reply)), 201);
      }),
    );
    renderPost();

    const first = await comment('Comment by grace');
    await user.click(within(first).getByRole('button', { name: 'Reply to grace' }));
    const field = within(first).getByRole('textbox', { name: 'Your reply to grace' });
    expect(field).toHaveFocus();
    await user.type(field, 'Agreed.');
    await user.click(within(first).getByRole('button', { name: 'Post reply' }));

    expect(await screen.findByText('Your reply is posted.')).toBeInTheDocument();
    expect(await bodyOf(requestsTo(threadsPath).find((r) => r.method === 'POST'))).toEqual({
      body: 'Agreed.',
      parentId: commentId(1),
    });
    const replies = await screen.findByRole('list', { name: 'Replies to grace' });
    expect(within(replies).getByText('Agreed.')).toBeInTheDocument();
    // The form is put away and focus is back on the button that opened it.
    expect(within(first).queryByRole('textbox', { name: 'Your reply to grace' })).not.toBeInTheDocument();
    await waitFor(() => expect(within(first).getByRole('button', { name: 'Reply to grace' })).toHaveFocus());
  });

  it('shows a new comment that waits for a moderator to its author as "Awaiting moderation"', async () => {
    const user = userEvent.setup({ delay: null });
    const mine = commentNode(5, { author: adaAuthor, status: 'pending', body: 'First!', html: '<p>First!</p>' });
    let written = false;
    useApi(
      ...signedInAsAda(),
      threadsApi(() => [commentNode(1), ...(written ? [mine] : [])]),
      api.post('/api/v1/posts/{id}/comments', () => {
        written = true;
        return json(envelope(writtenComment(mine)), 201);
      }),
    );
    renderPost();

    const comments = await section();
    await user.type(await comments.findByRole('textbox', { name: 'Your comment' }), 'First!');
    await user.click(comments.getByRole('button', { name: 'Post comment' }));

    expect(
      await screen.findByText('Your comment was sent. It shows to others once a moderator approves it.'),
    ).toBeInTheDocument();
    const own = await comment('Comment by ada');
    expect(within(own).getByText('Awaiting moderation')).toBeInTheDocument();
    expect(within(own).getByText('Only you can see it until a moderator approves it.')).toBeInTheDocument();
    // Not approved yet: nobody can reply to it.
    expect(within(own).queryByRole('button', { name: /Reply/ })).not.toBeInTheDocument();
    // The form is empty again for the next one.
    expect(comments.getByRole('textbox', { name: 'Your comment' })).toHaveValue('');
  });

  it('shows the API’s objection to the text at the field', async () => {
    const user = userEvent.setup({ delay: null });
    useApi(
      ...signedInAsAda(),
      threadsApi(() => []),
      api.post('/api/v1/posts/{id}/comments', () =>
        json(
          detailedErrorEnvelope('VALIDATION_ERROR', 'The request is invalid', [
            { field: 'body', message: 'body must match /\\S/ regular expression', code: 'MATCHES' },
          ]),
          400,
        ),
      ),
    );
    renderPost();

    const comments = await section();
    expect(await comments.findByText('Nobody has commented yet.')).toBeInTheDocument();
    // Said once: no count line repeating it under the heading.
    expect(comments.queryByText(/no comments/i)).toBeNull();
    const field = await comments.findByRole('textbox', { name: 'Your comment' });
    // Empty: refused before it is sent.
    await user.click(comments.getByRole('button', { name: 'Post comment' }));
    expect(field).toHaveAccessibleDescription(expect.stringContaining('Write something first.'));
    expect(requestsTo(threadsPath).filter((r) => r.method === 'POST')).toHaveLength(0);

    await user.type(field, 'Hello there');
    await user.click(comments.getByRole('button', { name: 'Post comment' }));
    await waitFor(() =>
      expect(field).toHaveAccessibleDescription(expect.stringContaining('Body must match /\\S/ regular expression.')),
    );
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field).toHaveFocus();
  });

  it('offers Edit on one’s own comment within the edit window, and saves the new text', async () => {
    const user = userEvent.setup({ delay: null });
    let body = 'Tpyo here.';
    useApi(
      ...signedInAsAda(),
      threadsApi(() => [
        commentNode(1, {
          author: adaAuthor,
          createdAt: new Date(Date.now() - 2 * 60_000).toISOString(),
          body,
          html: `<p>${body}</p>`,
          editedAt: body === 'Tpyo here.' ? null : new Date().toISOString(),
        }),
      ]),
      api.patch('/api/v1/comments/{id}', async ({ request }) => {
        body = ((await request.json()) as { body: string }).body;
        return json(envelope(writtenComment(commentNode(1, { author: adaAuthor, body, html: `<p>${body}</p>` }))));
      }),
    );
    renderPost();

    const own = await comment('Comment by ada');
    const edit = within(own).getByRole('button', { name: 'Edit your comment' });
    expect(edit).toHaveAccessibleDescription(/^You can edit it until /);
    await user.click(edit);
    const field = within(own).getByRole('textbox', { name: 'Edit your comment' });
    expect(field).toHaveValue('Tpyo here.');
    await user.clear(field);
    await user.type(field, 'Typo fixed.');
    await user.click(within(own).getByRole('button', { name: 'Save' }));

    expect(await screen.findByText('Your comment was updated.')).toBeInTheDocument();
    expect(await within(own).findByText('Typo fixed.')).toBeInTheDocument();
    expect(within(own).getByText('edited')).toBeInTheDocument();
    expect(await bodyOf(requestsTo(`/api/v1/comments/${commentId(1)}`)[0])).toEqual({ body: 'Typo fixed.' });
  });

  it('shows at the field that the API found the edit window over, and then offers Edit no more', async () => {
    const user = userEvent.setup({ delay: null });
    useApi(
      ...signedInAsAda(),
      threadsApi(() => [commentNode(1, { author: adaAuthor, createdAt: new Date(Date.now() - 60_000).toISOString() })]),
      api.patch('/api/v1/comments/{id}', () =>
        json(
          detailedErrorEnvelope('CONFLICT', 'Comments can be edited for 5 minutes after they are written', [
            {
              field: 'body',
              message: 'Comments can be edited for 5 minutes after they are written',
              code: 'EDIT_WINDOW_CLOSED',
            },
          ]),
          409,
        ),
      ),
    );
    renderPost();

    const own = await comment('Comment by ada');
    await user.click(within(own).getByRole('button', { name: 'Edit your comment' }));
    const field = within(own).getByRole('textbox', { name: 'Edit your comment' });
    await user.type(field, ' More.');
    await user.click(within(own).getByRole('button', { name: 'Save' }));

    await waitFor(() =>
      expect(field).toHaveAccessibleDescription(
        expect.stringContaining('Comments can be edited for 5 minutes after they are written.'),
      ),
    );
    await user.click(within(own).getByRole('button', { name: 'Cancel' }));
    expect(within(own).getByText('Comment number 1.')).toBeInTheDocument();
    expect(within(own).queryByRole('button', { name: /Edit/ })).not.toBeInTheDocument();
    expect(within(own).getByRole('button', { name: 'Delete your comment' })).toBeInTheDocument();
  });

  it('offers no Edit once the edit window is over, but still Delete (after asking)', async () => {
    const user = userEvent.setup({ delay: null });
    let deleted = false;
    useApi(
      ...signedInAsAda(),
      threadsApi(() =>
        deleted
          ? []
          : [commentNode(1, { author: adaAuthor, createdAt: new Date(Date.now() - 60 * 60_000).toISOString() })],
      ),
      api.delete('/api/v1/comments/{id}', () => {
        deleted = true;
        return json(envelope({ message: 'Comment deleted' }));
      }),
    );
    renderPost();

    const own = await comment('Comment by ada');
    expect(within(own).queryByRole('button', { name: /Edit/ })).not.toBeInTheDocument();
    await user.click(within(own).getByRole('button', { name: 'Delete your comment' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete this comment?' });
    await user.click(within(dialog).getByRole('button', { name: 'Delete comment' }));

    expect(await screen.findByText('Your comment was deleted.')).toBeInTheDocument();
    expect(requestsTo(`/api/v1/comments/${commentId(1)}`).map((r) => r.method)).toEqual(['DELETE']);
    expect(await screen.findByText('Nobody has commented yet.')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('heading', { level: 2, name: 'Comments' })).toHaveFocus());
  });

  it('offers no Edit or Delete on someone else’s comment', async () => {
    useApi(
      ...signedInAsAda(),
      threadsApi(() => [commentNode(1, { author: grace, createdAt: new Date().toISOString() })]),
    );
    renderPost();

    const theirs = await comment('Comment by grace');
    expect(within(theirs).getByRole('button', { name: 'Reply to grace' })).toBeInTheDocument();
    expect(within(theirs).queryByRole('button', { name: /Edit|Delete/ })).not.toBeInTheDocument();
  });

  it('says comments are closed instead of offering the form or replies', async () => {
    useApi(
      ...signedInAsAda(),
      threadsApi(() => [commentNode(1)]),
    );
    renderPost({ ...tidesPost, commentsOpen: false, commentCount: 1 });

    const comments = await section();
    expect(await comments.findByText('Comment number 1.')).toBeInTheDocument();
    expect(comments.getByText('Comments are closed')).toBeInTheDocument();
    expect(comments.getByText('This post takes no new comments or replies.')).toBeInTheDocument();
    expect(comments.queryByRole('textbox')).not.toBeInTheDocument();
    expect(comments.queryByRole('button', { name: /Reply/ })).not.toBeInTheDocument();
  });

  it('closes the form when the API says comments were closed meanwhile', async () => {
    const user = userEvent.setup({ delay: null });
    useApi(
      ...signedInAsAda(),
      threadsApi(() => []),
      api.post('/api/v1/posts/{id}/comments', () =>
        json(
          detailedErrorEnvelope('CONFLICT', 'Comments are closed on this post', [
            { field: 'postId', message: 'Comments are closed on this post', code: 'COMMENTS_CLOSED' },
          ]),
          409,
        ),
      ),
    );
    renderPost();

    const comments = await section();
    await user.type(await comments.findByRole('textbox', { name: 'Your comment' }), 'Too late?');
    await user.click(comments.getByRole('button', { name: 'Post comment' }));

    expect(await comments.findByText('Comments are closed')).toBeInTheDocument();
    expect(comments.queryByRole('textbox', { name: 'Your comment' })).not.toBeInTheDocument();
  });
});
